package city.hotline.hub.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Status reports from back-ends, each stored once (by fingerprint). */
@Repository
public class StatusStore {

    private final JdbcTemplate jdbc;

    public StatusStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the new row's id, or empty when the identical report was stored before */
    public Optional<Long> insertOnce(String ticketId, String status, Instant at, String reply, String handlingUnit,
                                     String satisfaction, String fingerprint, String outcome) {
        List<Long> ids = jdbc.queryForList("""
                INSERT INTO status_update (ticket_id, status, at, reply, handling_unit, satisfaction, fingerprint, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT ON CONSTRAINT status_update_once DO NOTHING RETURNING id""", Long.class,
                ticketId, status, Timestamp.from(at), reply, handlingUnit, satisfaction, fingerprint, outcome);
        return ids.stream().findFirst();
    }
}
