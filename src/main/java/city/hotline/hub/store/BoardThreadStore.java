package city.hotline.hub.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The board's own view of the threads the hub took in (state, official reply), and which are still open. */
@Repository
public class BoardThreadStore {

    /** A view of a thread not yet written to its ticket's history. */
    public record Unrecorded(String source, long tid, String channelItemId, String ticketId, String view, String viewSha256) {
    }

    private final JdbcTemplate jdbc;

    public BoardThreadStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void upsert(String source, long tid, String channelItemId, boolean open, String viewJson, String viewSha256) {
        jdbc.update("""
                INSERT INTO board_thread (source, tid, channel_item_id, open, view, view_sha256)
                VALUES (?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (source, tid) DO UPDATE SET open = EXCLUDED.open, view = EXCLUDED.view,
                       view_sha256 = EXCLUDED.view_sha256, updated_at = now()
                WHERE board_thread.view_sha256 IS DISTINCT FROM EXCLUDED.view_sha256""",
                source, tid, channelItemId, open, viewJson, viewSha256);
    }

    public Set<Long> open(String source) {
        return new HashSet<>(jdbc.queryForList("SELECT tid FROM board_thread WHERE source = ? AND open", Long.class, source));
    }

    /** Views whose ticket exists by now (the inbox is processed asynchronously) and that are not recorded yet. */
    public List<Unrecorded> unrecorded(int limit) {
        return jdbc.query("""
                SELECT b.source, b.tid, b.channel_item_id, o.ticket_id, b.view::text AS view, b.view_sha256
                FROM board_thread b
                JOIN ticket_origin o ON o.channel = 'board' AND o.channel_item_id = b.channel_item_id
                WHERE b.view_sha256 IS DISTINCT FROM b.recorded_sha256
                ORDER BY b.updated_at LIMIT ?""",
                (rs, i) -> new Unrecorded(rs.getString("source"), rs.getLong("tid"), rs.getString("channel_item_id"),
                        rs.getString("ticket_id"), rs.getString("view"), rs.getString("view_sha256")), limit);
    }

    /** @return false when another poll recorded it first */
    public boolean markRecorded(String source, long tid, String viewSha256) {
        return jdbc.update("""
                UPDATE board_thread SET recorded_sha256 = ? WHERE source = ? AND tid = ?
                AND recorded_sha256 IS DISTINCT FROM ?""", viewSha256, source, tid, viewSha256) == 1;
    }
}
