package city.hotline.hub.console.web;

import java.util.Map;

import city.hotline.hub.console.QuarantineReplayer;
import city.hotline.hub.store.ReplyDeliveryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * What an operator can change from the console. Each action reuses the hub's own logic (the API's
 * delivery retry, the quarantine replayer) or writes shared state every instance reads (channel
 * pauses), and is logged with the user who did it.
 */
@Service
public class ConsoleActions {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleActions.class);

    private final JdbcTemplate jdbc;
    private final ReplyDeliveryStore deliveries;
    private final QuarantineReplayer replayer;

    public ConsoleActions(JdbcTemplate jdbc, ReplyDeliveryStore deliveries, QuarantineReplayer replayer) {
        this.jdbc = jdbc;
        this.deliveries = deliveries;
        this.replayer = replayer;
    }

    /** The API's retry (POST /api/v1/tickets/deliveries/{id}/retry): only a FAILED delivery, not overtaken. */
    public boolean retryDelivery(long deliveryId, String user) {
        boolean done = deliveries.retry(deliveryId);
        LOG.info("Console: {} retried reply delivery {}: {}", user, deliveryId, done ? "queued again" : "refused (not FAILED or overtaken)");
        return done;
    }

    public void pause(String channel, String reason, String user) {
        jdbc.update("""
                INSERT INTO channel_pause (channel, paused_by, reason) VALUES (?, ?, ?)
                ON CONFLICT (channel) DO UPDATE SET paused_by = excluded.paused_by, reason = excluded.reason, since = now()""",
                channel, user, reason == null || reason.isBlank() ? null : reason.strip());
        LOG.info("Console: {} paused channel {} on every instance", user, channel);
    }

    public void resume(String channel, String user) {
        jdbc.update("DELETE FROM channel_pause WHERE channel = ?", channel);
        LOG.info("Console: {} resumed channel {}", user, channel);
    }

    /** Replays through {@link QuarantineReplayer} (the API's replay); its refusals are ResponseStatusExceptions. */
    public Map<String, Object> replay(long id, String user) {
        Map<String, Object> out = replayer.replay(id);
        LOG.info("Console: {} replayed quarantined item {}", user, id);
        return out;
    }

    /** An OPEN item is set aside for good, with the operator's note; false when it is no longer open. */
    public boolean discard(long id, String note, String user) {
        boolean done = jdbc.update("""
                UPDATE quarantine SET state = 'DISCARDED', discarded_by = ?, note = ?, replayed_at = now()
                WHERE id = ? AND state = 'OPEN'""", user, note, id) == 1;
        LOG.info("Console: {} discarded quarantined item {}: {}", user, id, done ? "done" : "not open");
        return done;
    }
}
