package city.hotline.hub.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Items that failed after acceptance, with their reason; visible through the API and replayable. */
@Repository
public class QuarantineStore {

    /**
     * Where the item failed. INTAKE: a channel connector could not even parse what it received
     * (payload = the raw text); replayed through the channel's {@code RawItemReplayer}.
     */
    public enum Stage { INTAKE, MAPPING, FORWARD, STATUS }

    public record Item(long id, String channel, Stage stage, Long refId, String ticketId, String reason, String payload, String state) {
    }

    private final JdbcTemplate jdbc;

    public QuarantineStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long add(String channel, Stage stage, Long refId, String ticketId, String reason, String payload) {
        Long id = jdbc.queryForObject("""
                INSERT INTO quarantine (channel, stage, ref_id, ticket_id, reason, payload)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING id""", Long.class, channel, stage.name(), refId, ticketId,
                // the reason may quote the bad value, the payload is whatever was sent: both must be storable
                StorableText.of(reason, 4000), StorableText.of(payload));
        return id == null ? -1 : id;
    }

    public List<Map<String, Object>> listOpen(int limit) {
        return jdbc.queryForList("""
                SELECT id, channel, stage, ticket_id AS "ticketId", reason, received_at AS "receivedAt"
                FROM quarantine WHERE state = 'OPEN' ORDER BY id DESC LIMIT ?""", limit);
    }

    public Optional<Item> find(long id) {
        return jdbc.query("SELECT * FROM quarantine WHERE id = ?", (rs, i) -> new Item(rs.getLong("id"), rs.getString("channel"),
                Stage.valueOf(rs.getString("stage")), (Long) rs.getObject("ref_id"), rs.getString("ticket_id"),
                rs.getString("reason"), rs.getString("payload"), rs.getString("state")), id).stream().findFirst();
    }

    /** @return false when the item was replayed already (or by a concurrent call) */
    public boolean markReplayed(long id) {
        return jdbc.update("UPDATE quarantine SET state = 'REPLAYED', replayed_at = now() WHERE id = ? AND state = 'OPEN'", id) == 1;
    }

    public long countOpen() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM quarantine WHERE state = 'OPEN'", Long.class);
        return n == null ? 0 : n;
    }
}
