package city.hotline.hub.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import city.hotline.hub.store.claim.Claim;
import city.hotline.hub.store.claim.ClaimedRows;
import city.hotline.hub.store.claim.ClaimSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Tickets waiting to reach a back-end, written in the ticket's own transaction: a CREATE row when the
 * ticket is new, an UPDATE row (the whole ticket at a new version) each time it changes later.
 * Claimed per back-end lane ({@code claim:forwardOutboxStore?lane=case-system}).
 */
@Repository("forwardOutboxStore")
public class ForwardOutboxStore implements ClaimSource {

    public enum Kind { CREATE, UPDATE }

    private final JdbcTemplate jdbc;
    private final ClaimedRows claimed;

    public ForwardOutboxStore(JdbcTemplate jdbc, org.springframework.transaction.support.TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.claimed = new ClaimedRows(jdbc, tx, "forward_outbox");
    }

    public void enqueue(String ticketId, String backend, String payload) {
        enqueueAll(List.of(ticketId), List.of(backend), List.of(payload), Kind.CREATE, List.of(1));
    }

    /** The creation rows of several new tickets, in one statement ({@link SqlArrays}). */
    public void enqueueCreations(List<com.fasterxml.jackson.databind.node.ObjectNode> tickets, String backend) {
        jdbc.update("""
                INSERT INTO forward_outbox (ticket_id, backend, payload, kind, version)
                SELECT id, ?, payload, 'CREATE', 1 FROM unnest(?::text[], ?::text[]) AS k(id, payload)""",
                backend, SqlArrays.column(tickets, t -> t.get("ticketId").asText()),
                SqlArrays.column(tickets, city.hotline.hub.ticket.Json::write));
    }

    /** Rows of {@code kind} for several tickets and back-ends, one statement: row i is ticketIds(i), backends(i), payloads(i), versions(i). */
    public void enqueueAll(List<String> ticketIds, List<String> backends, List<String> payloads, Kind kind, List<Integer> versions) {
        jdbc.update("""
                INSERT INTO forward_outbox (ticket_id, backend, payload, kind, version)
                SELECT id, backend, payload, ?, version FROM unnest(?::text[], ?::text[], ?::text[], ?::int[]) AS k(id, backend, payload, version)""",
                kind.name(), ticketIds.toArray(String[]::new), backends.toArray(String[]::new), payloads.toArray(String[]::new),
                versions.toArray(Integer[]::new));
    }

    /**
     * Due rows of one back-end, oldest first. A row waits while an earlier row of the same ticket and
     * back-end is pending or quarantined, so an update never reaches a back-end before its creation.
     */
    @Override
    public List<Map<String, Object>> claim(Claim claim, String backend, int max) {
        return claimed.claim("""
                UPDATE forward_outbox f SET claim_owner = ?, claim_token = ?, claim_expires_at = now() + ? * interval '1 millisecond'
                WHERE f.id IN (
                    SELECT c.id FROM forward_outbox c
                    WHERE c.state = 'PENDING' AND c.backend = ? AND c.next_attempt_at <= now()
                      AND (c.claim_expires_at IS NULL OR c.claim_expires_at < now())
                      AND c.id = (SELECT min(e.id) FROM forward_outbox e WHERE e.ticket_id = c.ticket_id AND e.backend = c.backend
                                  AND e.state IN ('PENDING', 'QUARANTINED'))
                    ORDER BY c.id LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING f.id, f.ticket_id, f.backend, f.payload, f.attempts, f.created_at, f.kind, f.version, f.claim_token""",
                claim.owner(), claim.token(), claim.leaseMillis(), backend, max);
    }

    @Override
    public int releaseAll(String owner) {
        return claimed.releaseAll(owner);
    }

    @Override
    public String wakeChannel() {
        return "hub_forward";
    }

    /**
     * Lets the current transaction commit without waiting for its WAL flush. Only for the SENT mark:
     * if a crash loses it, the row is delivered once more with the same Idempotency-Key (or JMS
     * duplicate id), which the back-end treats as the same delivery. Nothing else may use it.
     */
    public void commitWithoutWaitingForDisk() {
        jdbc.execute("SET LOCAL synchronous_commit TO OFF");
    }

    /** Delivered; only the claim that holds the row may say so. */
    public void markSent(long id, UUID claimToken) {
        claimed.settle(id, claimToken, "state = 'SENT', attempts = attempts + 1, sent_at = now(), last_error = NULL");
    }

    /** {@link #markSent} for many rows at once; the answer is the ids that were still claimed by the given tokens. */
    public java.util.Set<Long> markSentAll(List<Long> ids, List<UUID> claimTokens) {
        return claimed.settleMany("state = 'SENT', attempts = t.attempts + 1, sent_at = now(), last_error = NULL", ids, claimTokens);
    }

    public void reschedule(long id, UUID claimToken, Instant nextAttemptAt, String error) {
        claimed.settle(id, claimToken, "attempts = attempts + 1, next_attempt_at = ?, last_error = ?", Timestamp.from(nextAttemptAt), error);
    }

    /** Routing (issue 12): not tried, the back-end's circuit breaker is open; the row waits without counting an attempt. */
    public void postpone(long id, UUID claimToken, Instant nextAttemptAt) {
        claimed.settle(id, claimToken, "next_attempt_at = ?", Timestamp.from(nextAttemptAt));
    }

    /** Routing (issue 12): one back-end's pending rows. */
    public long countPending(String backend) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM forward_outbox WHERE state = 'PENDING' AND backend = ?", Long.class, backend);
        return n == null ? 0 : n;
    }

    public void markQuarantined(long id, UUID claimToken, String error) {
        claimed.settle(id, claimToken, "state = 'QUARANTINED', attempts = attempts + 1, last_error = ?", error);
    }

    public boolean requeue(long id) {
        return jdbc.update("""
                UPDATE forward_outbox SET state = 'PENDING', attempts = 0, next_attempt_at = now(), created_at = now()
                WHERE id = ? AND state = 'QUARANTINED'""", id) == 1;
    }

    public long countPending() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM forward_outbox WHERE state = 'PENDING'", Long.class);
        return n == null ? 0 : n;
    }

    public Optional<Instant> oldestPending() {
        Timestamp t = jdbc.queryForObject("SELECT min(created_at) FROM forward_outbox WHERE state = 'PENDING'", Timestamp.class);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }
}
