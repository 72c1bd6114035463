package city.hotline.hub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import javax.sql.DataSource;

import city.hotline.hub.store.ChannelStateStore;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * One embedded PostgreSQL with the hub's migrations, for tests without a Spring context (started
 * once per test JVM, stopped at its end). {@link #newPool(String)} gives each simulated hub
 * instance a connection pool of its own, as separate processes would have.
 */
public final class TestDatabase {

    private static EmbeddedPostgres pg;

    private TestDatabase() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (pg == null) {
            try {
                pg = EmbeddedPostgres.builder()
                        .setDataDirectory(Path.of(TestDataDirs.fresh("plain-pg")))
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "60")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is ending anyway
                }
            }));
        }
        return pg;
    }

    /** A pool of its own, as one hub instance has. */
    public static HikariDataSource newPool(String name) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(server().getJdbcUrl("postgres", "postgres"));
        cfg.setUsername("postgres");
        cfg.setMaximumPoolSize(10);
        cfg.setPoolName(name);
        return new HikariDataSource(cfg);
    }

    public static ChannelStateStore channelState(DataSource ds) {
        return new ChannelStateStore(new JdbcTemplate(ds), new DataSourceTransactionManager(ds));
    }

    /** Empties the shared channel state (tokens, holds) between tests. */
    public static void clearChannelState() {
        new JdbcTemplate(server().getPostgresDatabase()).execute("TRUNCATE channel_token, channel_hold");
    }
}
