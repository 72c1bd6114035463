package city.hotline.hub.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.store.claim.Claim;
import city.hotline.hub.store.claim.ClaimedRows;
import city.hotline.hub.store.claim.ClaimSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The reply outbox: one row per (status change, origin); its state is the origin's delivery state.
 * Claimed per channel lane ({@code claim:replyDeliveryStore?lane=weixin}), so a slow channel holds
 * only its own lane.
 */
@Repository("replyDeliveryStore")
public class ReplyDeliveryStore implements ClaimSource {

    private final JdbcTemplate jdbc;
    private final ClaimedRows claimed;

    public ReplyDeliveryStore(JdbcTemplate jdbc, org.springframework.transaction.support.TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.claimed = new ClaimedRows(jdbc, tx, "reply_delivery");
    }

    /** Origins without a reply address (a form sent without callbackUrl) get no delivery row. */
    public int enqueueForEveryOrigin(String ticketId, long statusUpdateId) {
        return jdbc.update("""
                INSERT INTO reply_delivery (ticket_id, status_update_id, origin_id, channel)
                SELECT ticket_id, ?, id, channel FROM ticket_origin WHERE ticket_id = ? AND reply_target IS NOT NULL
                ON CONFLICT ON CONSTRAINT reply_delivery_once DO NOTHING""", statusUpdateId, ticketId);
    }

    /**
     * Due deliveries of one channel, oldest first. A delivery waits while an earlier one to the same
     * origin is pending, so each origin receives its statuses in order: a later status never
     * overtakes an earlier one that is still being retried.
     */
    @Override
    public List<Map<String, Object>> claim(Claim claim, String channel, int max) {
        return claimed.claim("""
                WITH claimed AS (
                    UPDATE reply_delivery d SET claim_owner = ?, claim_token = ?, claim_expires_at = now() + ? * interval '1 millisecond'
                    WHERE d.id IN (
                        SELECT c.id FROM reply_delivery c
                        WHERE c.state = 'PENDING' AND (?::text IS NULL OR c.channel = ?) AND c.next_attempt_at <= now()
                          AND (c.claim_expires_at IS NULL OR c.claim_expires_at < now())
                          AND c.id = (SELECT min(e.id) FROM reply_delivery e WHERE e.origin_id = c.origin_id AND e.state = 'PENDING')
                          AND NOT EXISTS (SELECT 1 FROM channel_pause p WHERE p.channel = c.channel)
                        ORDER BY c.id LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING d.id, d.ticket_id, d.channel, d.attempts, d.origin_id, d.status_update_id, d.claim_token)
                SELECT c.id, c.ticket_id, c.channel, c.attempts, c.claim_token, o.channel_item_id,
                       CAST(o.reply_target AS text) AS reply_target, s.status, s.reply, s.at
                FROM claimed c JOIN ticket_origin o ON o.id = c.origin_id JOIN status_update s ON s.id = c.status_update_id""",
                claim.owner(), claim.token(), claim.leaseMillis(), channel, channel, max);
    }

    @Override
    public int releaseAll(String owner) {
        return claimed.releaseAll(owner);
    }

    @Override
    public String wakeChannel() {
        return "hub_reply";
    }

    public void markSent(long id, UUID claimToken) {
        claimed.settle(id, claimToken, "state = 'SENT', attempts = attempts + 1, last_error = NULL, updated_at = now()");
    }

    public void reschedule(long id, UUID claimToken, Instant nextAttemptAt, String error) {
        claimed.settle(id, claimToken, "attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = now()",
                Timestamp.from(nextAttemptAt), error);
    }

    /** Waits until {@code until} without counting an attempt (the channel's quota, not a failure). */
    public void hold(long id, UUID claimToken, Instant until, String reason) {
        claimed.settle(id, claimToken, "next_attempt_at = ?, last_error = ?, updated_at = now()", Timestamp.from(until), reason);
    }

    public void markFailed(long id, UUID claimToken, String error) {
        claimed.settle(id, claimToken, "state = 'FAILED', attempts = attempts + 1, last_error = ?, updated_at = now()", error);
    }

    /**
     * A manual retry of a FAILED delivery. Refused once a later status has reached the same origin:
     * sending the older one now would leave the citizen on an outdated status.
     */
    public boolean retry(long id) {
        return jdbc.update("""
                UPDATE reply_delivery d SET state = 'PENDING', next_attempt_at = now(), updated_at = now()
                WHERE d.id = ? AND d.state = 'FAILED'
                  AND NOT EXISTS (SELECT 1 FROM reply_delivery n WHERE n.origin_id = d.origin_id AND n.id > d.id AND n.state = 'SENT')""", id) == 1;
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
