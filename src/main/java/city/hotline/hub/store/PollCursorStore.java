package city.hotline.hub.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Cursors of the polling channels, one row per (channel, source). Every change is its own
 * committed statement, made only after the items it covers are committed to the inbox.
 */
@Repository
public class PollCursorStore {

    public record Cursor(String channel, String source, Long watermark, Long runHigh, String runResume, int failures,
                         Instant nextPollAt, String pauseReason, String lastError, Instant lastSuccessAt,
                         Instant lastRecheckAt) {

        public boolean due(Instant now) {
            return nextPollAt == null || !nextPollAt.isAfter(now);
        }
    }

    private final JdbcTemplate jdbc;

    public PollCursorStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The source's cursor; created (empty: first run) when the source is new. */
    public Cursor get(String channel, String source) {
        jdbc.update("INSERT INTO poll_cursor (channel, source) VALUES (?, ?) ON CONFLICT DO NOTHING", channel, source);
        return find(channel, source).orElseThrow();
    }

    public Optional<Cursor> find(String channel, String source) {
        return jdbc.query("SELECT * FROM poll_cursor WHERE channel = ? AND source = ?", PollCursorStore::row, channel, source)
                .stream().findFirst();
    }

    public List<Cursor> all(String channel) {
        return jdbc.query("SELECT * FROM poll_cursor WHERE channel = ? ORDER BY source", PollCursorStore::row, channel);
    }

    /** A page of an unfinished run is stored: remember where the run goes on. */
    public void saveProgress(String channel, String source, Long runHigh, String runResume) {
        jdbc.update("UPDATE poll_cursor SET run_high = ?, run_resume = ?, updated_at = now() WHERE channel = ? AND source = ?",
                runHigh, runResume, channel, source);
    }

    /** The run caught up: the watermark moves to the highest id stored, the run state is cleared. */
    public void finishRun(String channel, String source, Long watermark) {
        jdbc.update("""
                UPDATE poll_cursor SET watermark = GREATEST(watermark, ?), run_high = NULL, run_resume = NULL,
                       failures = 0, next_poll_at = NULL, pause_reason = NULL, last_error = NULL,
                       last_success_at = now(), updated_at = now()
                WHERE channel = ? AND source = ?""", watermark, channel, source);
    }

    /** A poll that fetched what it needed without reaching the watermark yet (page limit per run). */
    public void succeeded(String channel, String source) {
        jdbc.update("""
                UPDATE poll_cursor SET failures = 0, next_poll_at = NULL, pause_reason = NULL, last_error = NULL,
                       last_success_at = now(), updated_at = now()
                WHERE channel = ? AND source = ?""", channel, source);
    }

    /** A failed poll: the caller computed the growing back-off from the returned failure count. */
    public int failed(String channel, String source, String error) {
        Integer n = jdbc.queryForObject("""
                UPDATE poll_cursor SET failures = failures + 1, last_error = ?, updated_at = now()
                WHERE channel = ? AND source = ? RETURNING failures""", Integer.class, StorableText.of(error, 2000), channel, source);
        return n == null ? 1 : n;
    }

    /** No poll of this source before {@code until} (back-off or the channel's rate-limit window). */
    public void pause(String channel, String source, Instant until, String reason) {
        jdbc.update("UPDATE poll_cursor SET next_poll_at = ?, pause_reason = ?, updated_at = now() WHERE channel = ? AND source = ?",
                Timestamp.from(until), StorableText.of(reason, 2000), channel, source);
    }

    public void recheckDone(String channel, String source) {
        jdbc.update("UPDATE poll_cursor SET last_recheck_at = now(), updated_at = now() WHERE channel = ? AND source = ?", channel, source);
    }

    private static Cursor row(ResultSet rs, int i) throws SQLException {
        return new Cursor(rs.getString("channel"), rs.getString("source"), (Long) rs.getObject("watermark"),
                (Long) rs.getObject("run_high"), rs.getString("run_resume"), rs.getInt("failures"),
                instant(rs, "next_poll_at"), rs.getString("pause_reason"), rs.getString("last_error"),
                instant(rs, "last_success_at"), instant(rs, "last_recheck_at"));
    }

    /** Paused by an operator (console, table channel_pause): the channel's sources are not polled. */
    public boolean channelPaused(String channel) {
        return !jdbc.queryForList("SELECT 1 FROM channel_pause WHERE channel = ?", Integer.class, channel).isEmpty();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
