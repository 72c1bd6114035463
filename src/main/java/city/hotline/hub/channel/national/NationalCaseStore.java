package city.hotline.hub.channel.national;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import city.hotline.hub.store.StorableText;
import city.hotline.hub.store.claim.Claim;
import city.hotline.hub.store.claim.ClaimSource;
import city.hotline.hub.store.claim.ClaimedRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The cases pulled from the national platform (table {@code national_case}, V60), each with its
 * receipt's delivery state and whether its feedback report went out. The receipt is a claimed
 * outbox ({@code claim:nationalCaseStore}): a row is due once its case's ticket exists (the origin
 * {@code national}/caseNo), so a case still in the inbox or quarantined is never signed for.
 */
@Repository("nationalCaseStore")
public class NationalCaseStore implements ClaimSource {

    public static final String CHANNEL = "national";

    /** A case whose receipt is late, failed, or whose deadline is near without feedback (health). */
    public record Case(String caseNo, String ticketId, Instant firstSeenAt, String state, int attempts, String lastError,
                       Instant dueAt) {
    }

    private final JdbcTemplate jdbc;
    private final ClaimedRows claimed;

    public NationalCaseStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.claimed = new ClaimedRows(jdbc, tx, "national_case");
    }

    /** The case is in the inbox: its receipt is owed from now on (a case pulled again changes nothing). */
    public void seen(String caseNo) {
        jdbc.update("INSERT INTO national_case (case_no) VALUES (?) ON CONFLICT (case_no) DO NOTHING", caseNo);
    }

    /** Receipts due, oldest first, of cases that have their ticket. */
    @Override
    public List<Map<String, Object>> claim(Claim claim, String lane, int max) {
        return claimed.claim("""
                WITH claimed AS (
                    UPDATE national_case n SET claim_owner = ?, claim_token = ?, claim_expires_at = now() + ? * interval '1 millisecond'
                    WHERE n.id IN (
                        SELECT c.id FROM national_case c
                        WHERE c.state = 'PENDING' AND c.next_attempt_at <= now()
                          AND (c.claim_expires_at IS NULL OR c.claim_expires_at < now())
                          AND EXISTS (SELECT 1 FROM ticket_origin o WHERE o.channel = 'national' AND o.client = 'default'
                                      AND o.channel_item_id = c.case_no)
                        ORDER BY c.id LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING n.id, n.case_no, n.attempts, n.first_seen_at, n.claim_token)
                SELECT c.id, c.case_no, c.attempts, c.first_seen_at, c.claim_token, o.ticket_id
                FROM claimed c JOIN ticket_origin o ON o.channel = 'national' AND o.client = 'default' AND o.channel_item_id = c.case_no""",
                claim.owner(), claim.token(), claim.leaseMillis(), max);
    }

    @Override
    public int releaseAll(String owner) {
        return claimed.releaseAll(owner);
    }

    /**
     * Tickets are created together with their forward-outbox row, whose insert is announced on
     * {@code hub_forward}: the receipt consumer wakes on it too, so a receipt goes out right after
     * its ticket exists instead of at the next fallback poll.
     */
    @Override
    public String wakeChannel() {
        return "hub_forward";
    }

    public void receiptSent(long id, UUID claimToken) {
        claimed.settle(id, claimToken, "state = 'SENT', attempts = attempts + 1, receipt_sent_at = now(), last_error = NULL, updated_at = now()");
    }

    public void receiptRetry(long id, UUID claimToken, Instant next, String error) {
        claimed.settle(id, claimToken, "attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = now()",
                Timestamp.from(next), StorableText.of(error, 2000));
    }

    public void receiptFailed(long id, UUID claimToken, String error) {
        claimed.settle(id, claimToken, "state = 'FAILED', attempts = attempts + 1, last_error = ?, updated_at = now()",
                StorableText.of(error, 2000));
    }

    public Optional<String> receiptState(String caseNo) {
        return jdbc.queryForList("SELECT state FROM national_case WHERE case_no = ?", String.class, caseNo).stream().findFirst();
    }

    public void feedbackSent(String caseNo) {
        jdbc.update("UPDATE national_case SET feedback_sent_at = now(), updated_at = now() WHERE case_no = ? AND feedback_sent_at IS NULL",
                caseNo);
    }

    /** The handling unit the case system reported with the status of this reply delivery. */
    public Optional<String> handlingUnitOfDelivery(long deliveryId) {
        return jdbc.queryForList("""
                SELECT s.handling_unit FROM reply_delivery d JOIN status_update s ON s.id = d.status_update_id
                WHERE d.id = ?""", String.class, deliveryId).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** Receipts not signed although the case was pulled longer than {@code within} ago (or refused for good). */
    public List<Case> receiptsOverdue(Duration within, int limit) {
        return jdbc.query("""
                SELECT c.case_no, o.ticket_id, c.first_seen_at, c.state, c.attempts, c.last_error, NULL AS due_at
                FROM national_case c
                LEFT JOIN ticket_origin o ON o.channel = 'national' AND o.client = 'default' AND o.channel_item_id = c.case_no
                WHERE c.state <> 'SENT' AND (c.state = 'FAILED' OR c.first_seen_at < now() - ? * interval '1 millisecond')
                ORDER BY c.id LIMIT ?""", NationalCaseStore::row, within.toMillis(), limit);
    }

    /** Cases with a ticket whose dueAt is less than {@code warnBefore} away (or past), without feedback sent. */
    public List<Case> feedbackDueSoon(Duration warnBefore, int limit) {
        return jdbc.query(DUE_SOON + " ORDER BY due_at LIMIT ?", NationalCaseStore::row, warnBefore.toMillis(), limit);
    }

    public long countFeedbackDueSoon(Duration warnBefore) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM (" + DUE_SOON + ") d", Long.class, warnBefore.toMillis());
        return n == null ? 0 : n;
    }

    /** The latest errors that say the province refused our signature, newest first. */
    public List<Map<String, Object>> signatureRefusals(int limit) {
        return jdbc.queryForList("""
                SELECT what, ref, error, at FROM (
                    SELECT 'receipt' AS what, case_no AS ref, last_error AS error, updated_at AS at FROM national_case
                    WHERE state = 'PENDING' AND last_error LIKE ?
                    UNION ALL
                    SELECT 'feedback', ticket_id, last_error, updated_at FROM reply_delivery
                    WHERE channel = 'national' AND state = 'PENDING' AND last_error LIKE ?) r
                ORDER BY at DESC LIMIT ?""", "%" + NationalResponses.SIGNATURE_REFUSED + "%",
                "%" + NationalResponses.SIGNATURE_REFUSED + "%", limit);
    }

    private static final String DUE_SOON = """
            SELECT c.case_no, o.ticket_id, c.first_seen_at, c.state, c.attempts, c.last_error,
                   (t.body ->> 'dueAt')::timestamptz AS due_at
            FROM national_case c
            JOIN ticket_origin o ON o.channel = 'national' AND o.client = 'default' AND o.channel_item_id = c.case_no
            JOIN ticket t ON t.ticket_id = o.ticket_id
            WHERE c.feedback_sent_at IS NULL AND t.body ->> 'dueAt' IS NOT NULL
              AND (t.body ->> 'dueAt')::timestamptz <= now() + ? * interval '1 millisecond'""";

    private static Case row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        Timestamp due = rs.getTimestamp("due_at");
        return new Case(rs.getString("case_no"), rs.getString("ticket_id"), rs.getTimestamp("first_seen_at").toInstant(),
                rs.getString("state"), rs.getInt("attempts"), rs.getString("last_error"), due == null ? null : due.toInstant());
    }
}
