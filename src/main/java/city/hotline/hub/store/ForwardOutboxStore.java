package city.hotline.hub.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Tickets waiting to reach a back-end; written in the ticket's own transaction. */
@Repository
public class ForwardOutboxStore {

    private final JdbcTemplate jdbc;

    public ForwardOutboxStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void enqueue(String ticketId, String backend, String payload) {
        jdbc.update("INSERT INTO forward_outbox (ticket_id, backend, payload) VALUES (?, ?, ?)", ticketId, backend, payload);
    }

    public void markSent(long id) {
        jdbc.update("UPDATE forward_outbox SET state = 'SENT', attempts = attempts + 1, sent_at = now(), last_error = NULL WHERE id = ?", id);
    }

    public void reschedule(long id, Instant nextAttemptAt, String error) {
        jdbc.update("UPDATE forward_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                Timestamp.from(nextAttemptAt), error, id);
    }

    public void markQuarantined(long id, String error) {
        jdbc.update("UPDATE forward_outbox SET state = 'QUARANTINED', attempts = attempts + 1, last_error = ? WHERE id = ?", error, id);
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
