package city.hotline.hub.store;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Which back-ends hold a ticket (routing, issue 12): written with the ticket's creation rows, read
 * when an update is enqueued; each back-end's acknowledgement and own last status.
 */
@Repository
public class TicketBackendStore {

    private final JdbcTemplate jdbc;

    public TicketBackendStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @param position the back-end's place in the ticket's dispatch (0 leads) */
    public record Holder(String ticketId, String backend, int position) {
    }

    /** In one statement ({@link SqlArrays}). */
    public void insertAll(List<Holder> holders) {
        jdbc.update("""
                INSERT INTO ticket_backend (ticket_id, backend, position)
                SELECT id, backend, position FROM unnest(?::text[], ?::text[], ?::int[]) AS k(id, backend, position)
                ON CONFLICT DO NOTHING""",
                SqlArrays.column(holders, Holder::ticketId), SqlArrays.column(holders, Holder::backend),
                holders.stream().map(Holder::position).toArray(Integer[]::new));
    }

    /** The back-ends of several tickets, one statement, each in dispatch order (first: the lead back-end); a ticket without any is absent. */
    public Map<String, List<String>> backendsOf(java.util.Collection<String> ticketIds) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        jdbc.query("SELECT ticket_id, backend FROM ticket_backend WHERE ticket_id = ANY(?) ORDER BY ticket_id, position, dispatched_at, backend",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", ticketIds.toArray())),
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> out.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(rs.getString(2)));
        return out;
    }

    /** The ticket's back-ends in the order it was dispatched to them (the first is its lead back-end): {@link #backendsOf} of one. */
    public List<String> backends(String ticketId) {
        return backendsOf(List.of(ticketId)).getOrDefault(ticketId, List.of());
    }

    /**
     * The back-ends have the tickets (a 2xx to the creation; a first status report acknowledges in
     * {@link #recordStatus}), for many (ticket, back-end) pairs in one statement; the first time counts.
     * It keeps an earlier time with COALESCE rather than testing {@code acked_at IS NULL}: that test would let the planner
     * hash the whole partial index of unacknowledged rows, which under load holds thousands of entries
     * of rows acknowledged since the last vacuum (5 ms and more a statement, against 0.1 ms by the
     * primary key). The pairs are creations just delivered, so there is hardly ever an earlier time.
     */
    public void acknowledgeAll(List<String> ticketIds, List<String> backends) {
        jdbc.update(ACKNOWLEDGE_ALL, ticketIds.toArray(String[]::new), backends.toArray(String[]::new));
    }

    static final String ACKNOWLEDGE_ALL = """
            UPDATE ticket_backend b SET acked_at = COALESCE(b.acked_at, now()) FROM unnest(?::text[], ?::text[]) AS k(ticket_id, backend)
            WHERE b.ticket_id = k.ticket_id AND b.backend = k.backend""";

    /** @return false when the back-end does not hold the ticket */
    public boolean recordStatus(String ticketId, String backend, String status, Instant at) {
        return jdbc.update("""
                UPDATE ticket_backend SET status = ?, status_at = ?, acked_at = COALESCE(acked_at, now())
                WHERE ticket_id = ? AND backend = ? AND (status_at IS NULL OR status_at <= ?)""",
                status, Timestamp.from(at), ticketId, backend, Timestamp.from(at)) == 1
                || holds(ticketId, backend);
    }

    public boolean holds(String ticketId, String backend) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM ticket_backend WHERE ticket_id = ? AND backend = ?", Integer.class,
                ticketId, backend);
        return n != null && n > 0;
    }

    /** Per back-end: tickets dispatched longer ago than {@code ackWithin} and still not acknowledged. */
    public Map<String, Long> stuck(Duration ackWithin) {
        Map<String, Long> out = new java.util.HashMap<>();
        jdbc.query("""
                SELECT backend, count(*) AS n FROM ticket_backend
                WHERE acked_at IS NULL AND dispatched_at < now() - ? * interval '1 millisecond' GROUP BY backend""",
                rs -> {
                    out.put(rs.getString("backend"), rs.getLong("n"));
                }, ackWithin.toMillis());
        return out;
    }
}
