package city.hotline.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * What this machine allows for the hub's own kinds of work, measured in the same run: durable
 * PostgreSQL commits (fsync and synchronous_commit on, as the hub's embedded default) one row at a
 * time and 50 rows a transaction, and persistent JMS sends to an embedded Artemis with a journal on
 * disk, from one thread and from four. Payloads are the same web-form bodies the load uses.
 */
final class Ceilings {

    record Rate(double perSecond, long count) {
    }

    private final IntakeLoad bodies;
    private final Duration duration;

    Ceilings(IntakeLoad bodies, Duration duration) {
        this.bodies = bodies;
        this.duration = duration;
    }

    /** [single-row commits/s, rows/s in batches of 50]. */
    Rate[] postgres(Path dataDir) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on").start();
             Connection c = pg.getPostgresDatabase().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE item (id BIGSERIAL PRIMARY KEY, item_id TEXT NOT NULL UNIQUE, payload TEXT NOT NULL,"
                        + " received_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            }
            String insert = "INSERT INTO item (item_id, payload) VALUES (?, ?)";
            Rate single;
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                c.setAutoCommit(true);
                long n = 0;
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                while (System.nanoTime() < end) {
                    String id = "s" + n;
                    ps.setString(1, id);
                    ps.setString(2, bodies.body(id, n));
                    ps.executeUpdate();
                    n++;
                }
                single = new Rate(n / ((System.nanoTime() - start) / 1e9), n);
            }
            Rate batched;
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                c.setAutoCommit(false);
                long n = 0;
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 50; i++, n++) {
                        String id = "b" + n;
                        ps.setString(1, id);
                        ps.setString(2, bodies.body(id, n));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                }
                batched = new Rate(n / ((System.nanoTime() - start) / 1e9), n);
            }
            return new Rate[] {single, batched};
        }
    }

    /** [persistent sends/s on one thread, on four threads]. */
    Rate[] jms(Path dataDir) throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.addAcceptorConfiguration("in-vm", "vm://0");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("vm://0")) {
            return new Rate[] {sends(cf, 1), sends(cf, 4)};
        } finally {
            broker.stop();
        }
    }

    private Rate sends(ActiveMQConnectionFactory cf, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (jakarta.jms.Connection connection = cf.createConnection()) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<Future<Long>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                counts.add(pool.submit(() -> {
                    try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                         MessageProducer producer = session.createProducer(session.createQueue("bench.ceiling"))) {
                        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                        long n = 0;
                        while (System.nanoTime() < end) {
                            producer.send(session.createTextMessage(bodies.body("j" + thread + "-" + n, n)));
                            n++;
                        }
                        return n;
                    }
                }));
            }
            long n = 0;
            for (Future<Long> f : counts) {
                n += f.get();
            }
            return new Rate(n / ((System.nanoTime() - start) / 1e9), n);
        } finally {
            pool.shutdownNow();
        }
    }
}
