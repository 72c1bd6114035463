package city.hotline.hub.store.claim;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Holds one database connection that LISTENs on the outboxes' notification channels and relays every
 * notification to {@link Wakeups}. The outbox tables notify on insert (triggers in V30), so a row written by any instance wakes the consumers of every instance at once. When the
 * connection breaks, consumers fall back to their poll until it is back.
 */
public class PgWakeListener implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(PgWakeListener.class);
    private static final int WAIT_MILLIS = 500;

    private final DataSource dataSource;
    private final Wakeups wakeups;
    private final List<String> channels;
    private volatile boolean running;
    private Thread thread;

    public PgWakeListener(DataSource dataSource, Wakeups wakeups, List<String> channels) {
        this.dataSource = dataSource;
        this.wakeups = wakeups;
        this.channels = channels;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "pg-wake-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long backoff = WAIT_MILLIS;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement st = connection.createStatement()) {
                    for (String channel : channels) {
                        st.execute("LISTEN " + channel);
                    }
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                LOG.info("Listening for outbox notifications on {}", channels);
                backoff = WAIT_MILLIS;
                // a missed notification costs at most one fallback poll: wake everyone after (re)connecting
                wakeups.signalAll();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null) {
                        java.util.Set<String> woken = new java.util.HashSet<>();
                        for (PGNotification n : notifications) {
                            if (woken.add(n.getName())) {
                                wakeups.signal(n.getName());
                            }
                        }
                    }
                }
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warn("Outbox notification listener lost its connection ({}); consumers poll until it is back", e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before Camel's routes and stops after them (a later phase starts later and stops earlier). */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
