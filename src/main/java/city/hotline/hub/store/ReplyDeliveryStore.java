package city.hotline.hub.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The reply outbox: one row per (status change, origin), and that origin's delivery state. */
@Repository
public class ReplyDeliveryStore {

    private final JdbcTemplate jdbc;

    public ReplyDeliveryStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Origins without a reply address (a form sent without callbackUrl) get no delivery row. */
    public int enqueueForEveryOrigin(String ticketId, long statusUpdateId) {
        return jdbc.update("""
                INSERT INTO reply_delivery (ticket_id, status_update_id, origin_id, channel)
                SELECT ticket_id, ?, id, channel FROM ticket_origin WHERE ticket_id = ? AND reply_target IS NOT NULL
                ON CONFLICT ON CONSTRAINT reply_delivery_once DO NOTHING""", statusUpdateId, ticketId);
    }

    public void markSent(long id) {
        jdbc.update("UPDATE reply_delivery SET state = 'SENT', attempts = attempts + 1, last_error = NULL, updated_at = now() WHERE id = ?", id);
    }

    public void reschedule(long id, Instant nextAttemptAt, String error) {
        jdbc.update("UPDATE reply_delivery SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = now() WHERE id = ?",
                Timestamp.from(nextAttemptAt), error, id);
    }

    /** Waits until {@code until} without counting an attempt (the channel's quota, not a failure). */
    public void hold(long id, Instant until, String reason) {
        jdbc.update("UPDATE reply_delivery SET next_attempt_at = ?, last_error = ?, updated_at = now() WHERE id = ?",
                Timestamp.from(until), reason, id);
    }

    public void markFailed(long id, String error) {
        jdbc.update("UPDATE reply_delivery SET state = 'FAILED', attempts = attempts + 1, last_error = ?, updated_at = now() WHERE id = ?", error, id);
    }

    public boolean retry(long id) {
        return jdbc.update("UPDATE reply_delivery SET state = 'PENDING', next_attempt_at = now(), updated_at = now() WHERE id = ? AND state = 'FAILED'", id) == 1;
    }

    public List<Map<String, Object>> forTicket(String ticketId) {
        return jdbc.queryForList("""
                SELECT d.id, d.channel, o.channel_item_id AS "channelItemId", s.status, s.at AS "statusAt", d.state,
                       d.attempts, d.last_error AS "lastError", d.next_attempt_at AS "nextAttemptAt", d.updated_at AS "updatedAt"
                FROM reply_delivery d
                JOIN ticket_origin o ON o.id = d.origin_id
                JOIN status_update s ON s.id = d.status_update_id
                WHERE d.ticket_id = ? ORDER BY d.id""", ticketId);
    }
}
