package city.hotline.hub.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What several hub instances share, started in the test JVM: one PostgreSQL (io.zonky, loopback)
 * and one Artemis broker reached over TCP (netty acceptor on a free loopback port). Hubs get
 * {@link #hubArgs()}, which turns their own embedded database and broker off.
 */
public final class SharedServices implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final EmbeddedActiveMQ broker;
    private final int brokerPort;
    private final JdbcTemplate jdbc;

    private SharedServices(EmbeddedPostgres postgres, EmbeddedActiveMQ broker, int brokerPort) {
        this.postgres = postgres;
        this.broker = broker;
        this.brokerPort = brokerPort;
        this.jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    public static SharedServices start() throws Exception {
        String dir = TestDataDirs.fresh("shared");
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(Path.of(dir, "postgres"))
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        int port = freePort();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJournalDirectory(Path.of(dir, "artemis", "journal").toString());
        config.setBindingsDirectory(Path.of(dir, "artemis", "bindings").toString());
        config.setLargeMessagesDirectory(Path.of(dir, "artemis", "large").toString());
        config.setPagingDirectory(Path.of(dir, "artemis", "paging").toString());
        config.addAcceptorConfiguration("netty", "tcp://127.0.0.1:" + port);
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        return new SharedServices(pg, broker, port);
    }

    /** The arguments that point a hub at the shared database and broker. */
    public String[] hubArgs() {
        return new String[] {
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + brokerPort,
        };
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    @Override
    public void close() throws Exception {
        try {
            broker.stop();
        } finally {
            postgres.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
