package city.hotline.hub.channel.cti;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.store.claim.Claim;
import city.hotline.hub.store.claim.ClaimSource;
import city.hotline.hub.store.claim.ClaimedRows;
import city.hotline.hub.ticket.Hashing;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The parts of a call (CDR, recording, satisfaction) until they are on their ticket (table
 * {@code cti_call_part}, V50). Stored in the transaction that answers the CTI; claimed by the join
 * ({@code claim:ctiCallParts}) only once the call's ticket exists, so a part that comes before the
 * agent's work order simply waits. Several instances share the join: claims skip locked rows, and
 * the ticket itself is changed under its row lock (TicketUpdates).
 */
@Repository("ctiCallParts")
public class CtiCallPartStore implements ClaimSource {

    public enum State { PENDING, APPLIED, ABANDONED }

    /** One normalised part; {@code part} is its JSON. */
    public record Part(String callId, String kind, String vendor, String part) {
    }

    private final JdbcTemplate jdbc;
    private final ClaimedRows claimed;

    public CtiCallPartStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.claimed = new ClaimedRows(jdbc, tx, "cti_call_part");
    }

    /**
     * Stores a part in the caller's transaction.
     *
     * @return false when the same part (call, kind, content) was stored before: a repeat, nothing to do
     */
    public boolean add(Part p, State state) {
        return jdbc.update("""
                INSERT INTO cti_call_part (call_id, kind, vendor, part, part_sha256, state)
                VALUES (?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT ON CONSTRAINT cti_call_part_once DO NOTHING""",
                p.callId(), p.kind(), p.vendor(), p.part(), Hashing.sha256Hex(p.part()), state.name()) == 1;
    }

    /** Pending parts whose call has its ticket now, oldest first (a call's parts in the order they came). */
    @Override
    public List<Map<String, Object>> claim(Claim claim, String lane, int max) {
        return claimed.claim("""
                UPDATE cti_call_part p SET claim_owner = ?, claim_token = ?, claim_expires_at = now() + ? * interval '1 millisecond'
                WHERE p.id IN (
                    SELECT c.id FROM cti_call_part c
                    WHERE c.state = 'PENDING' AND c.next_attempt_at <= now()
                      AND (c.claim_expires_at IS NULL OR c.claim_expires_at < now())
                      AND EXISTS (SELECT 1 FROM ticket_origin o WHERE o.channel = 'cti' AND o.channel_item_id = c.call_id)
                    ORDER BY c.id LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING p.id, p.call_id, p.kind, p.vendor, p.part::text AS part, p.attempts, p.claim_token""",
                claim.owner(), claim.token(), claim.leaseMillis(), max);
    }

    @Override
    public int releaseAll(String owner) {
        return claimed.releaseAll(owner);
    }

    @Override
    public String wakeChannel() {
        return "hub_cti";
    }

    /** In the ticket's transaction: the part is on the ticket. */
    public void markApplied(long id, UUID claimToken, String ticketId) {
        claimed.settle(id, claimToken, "state = 'APPLIED', ticket_id = ?, applied_at = now(), last_error = NULL", ticketId);
    }

    public boolean release(long id, UUID claimToken, Instant nextAttemptAt, String error) {
        return claimed.trySettle(id, claimToken, "attempts = attempts + 1, next_attempt_at = ?, last_error = ?",
                Timestamp.from(nextAttemptAt), error);
    }

    /** The ticket that the work order of this call created, if any (origin channel cti, item = call id). */
    public java.util.Optional<String> ticketOfCall(String callId) {
        return jdbc.queryForList("SELECT ticket_id FROM ticket_origin WHERE channel = 'cti' AND channel_item_id = ?", String.class, callId)
                .stream().findFirst();
    }

    /**
     * Marks CDRs that have waited longer than {@code olderThan} for their work order as reported, once each.
     *
     * @return their call ids
     */
    public List<String> reportOrphans(Instant olderThan) {
        return jdbc.queryForList("""
                UPDATE cti_call_part c SET orphan_reported_at = now()
                WHERE c.state = 'PENDING' AND c.kind = 'CDR' AND c.orphan_reported_at IS NULL AND c.received_at < ?
                  AND NOT EXISTS (SELECT 1 FROM ticket_origin o WHERE o.channel = 'cti' AND o.channel_item_id = c.call_id)
                RETURNING c.call_id""", String.class, Timestamp.from(olderThan));
    }

    /** CDRs reported as orphans that still have no ticket. */
    public long openOrphans() {
        Long n = jdbc.queryForObject("""
                SELECT count(*) FROM cti_call_part c WHERE c.state = 'PENDING' AND c.orphan_reported_at IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM ticket_origin o WHERE o.channel = 'cti' AND o.channel_item_id = c.call_id)""", Long.class);
        return n == null ? 0 : n;
    }

    /** The states of a call's parts, for tests and operators. */
    public List<Map<String, Object>> partsOf(String callId) {
        return jdbc.queryForList("SELECT kind, state, ticket_id, orphan_reported_at FROM cti_call_part WHERE call_id = ? ORDER BY id", callId);
    }
}
