package city.hotline.hub.store;

import java.time.Duration;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Deletes finished rows past their retention, one batch per statement. Each statement commits on
 * its own (no surrounding transaction), so locks are held for one batch only, and the rows are
 * picked with {@code FOR UPDATE SKIP LOCKED}: a row some worker holds is left for the next run
 * instead of making the purge (or the worker) wait. Only finished rows are ever touched: PENDING,
 * FAILED and QUARANTINED rows, open quarantine items, tickets and their history stay.
 * (The near-duplicate index is not "finished rows" but is bounded the same way: {@link Kind#DEDUP_INDEX}.)
 */
@Repository
public class RetentionStore {

    public enum Kind {
        /** inbox rows in state DONE, by processed_at */
        INBOX("inbox", """
                DELETE FROM inbox WHERE id IN (
                    SELECT id FROM inbox WHERE state = 'DONE' AND processed_at < now() - ? * interval '1 second'
                    ORDER BY processed_at LIMIT ? FOR UPDATE SKIP LOCKED)"""),
        /** forward-outbox rows in state SENT, by sent_at */
        FORWARD_OUTBOX("forward_outbox", """
                DELETE FROM forward_outbox WHERE id IN (
                    SELECT id FROM forward_outbox WHERE state = 'SENT' AND sent_at < now() - ? * interval '1 second'
                    ORDER BY sent_at LIMIT ? FOR UPDATE SKIP LOCKED)"""),
        /** reply deliveries in state SENT, by updated_at (nothing references them) */
        REPLY_DELIVERY("reply_delivery", """
                DELETE FROM reply_delivery WHERE id IN (
                    SELECT id FROM reply_delivery WHERE state = 'SENT' AND updated_at < now() - ? * interval '1 second'
                    ORDER BY updated_at LIMIT ? FOR UPDATE SKIP LOCKED)"""),
        /**
         * Raw payloads of quarantined items that were replayed, by replayed_at: the payload is
         * emptied (the record of what failed and why stays), and the poll_rejected marks that
         * pointed at it go in the same statement.
         */
        RAW_PAYLOAD("quarantine_payload", """
                WITH batch AS (
                    SELECT id FROM quarantine
                    WHERE state = 'REPLAYED' AND payload IS NOT NULL AND replayed_at < now() - ? * interval '1 second'
                    ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED),
                marks AS (DELETE FROM poll_rejected WHERE quarantine_id IN (SELECT id FROM batch))
                UPDATE quarantine SET payload = NULL WHERE id IN (SELECT id FROM batch)"""),
        /**
         * Near-duplicate index entries (docs/dedup.md) by their report's own time, with their LSH bucket and
         * key rows in the same statement (no foreign key does it for them: V122): older than the window plus a
         * margin, no look-up reads them. Entries of merged reports stay: they keep the report as it arrived,
         * which a split turns back into a ticket. Index V116 (partial, on reported_at of the unmerged entries)
         * finds a batch without a scan; the rows through the look-up's own indexes, by the buckets and keys
         * each entry keeps (V124: no index by entry id to write for every row). Each row is found by a
         * sub-select kept apart ({@code OFFSET 0}) and deleted by its ctid: joined directly, the planner
         * searched the index by bucket or key alone and filtered on the time, reading every row of a busy
         * place's key for each entry (EXPLAIN ANALYZE on 184,000 entries, the key rows of 128: 17 ms warm and 185 ms cold, against 5 ms).
         */
        DEDUP_INDEX("dedup_entry", """
                WITH batch AS (
                    SELECT id, reported_at, buckets, keys FROM dedup_entry WHERE report IS NULL AND reported_at < now() - ? * interval '1 second'
                    ORDER BY reported_at LIMIT ? FOR UPDATE SKIP LOCKED),
                bands AS (DELETE FROM dedup_band d USING batch b CROSS JOIN LATERAL unnest(b.buckets) AS x(bucket)
                    CROSS JOIN LATERAL (SELECT ctid AS row FROM dedup_band
                        WHERE bucket = x.bucket AND reported_at = b.reported_at AND entry_id = b.id OFFSET 0) r
                    WHERE d.ctid = r.row),
                keys AS (DELETE FROM dedup_key d USING batch b CROSS JOIN LATERAL unnest(b.keys) AS x(key)
                    CROSS JOIN LATERAL (SELECT ctid AS row FROM dedup_key
                        WHERE key = x.key AND reported_at = b.reported_at AND entry_id = b.id OFFSET 0) r
                    WHERE d.ctid = r.row)
                DELETE FROM dedup_entry WHERE id IN (SELECT id FROM batch)""");

        private final String table;
        private final String sql;

        Kind(String table, String sql) {
            this.table = table;
            this.sql = sql;
        }

        /** The name the purge counts and logs this kind under. */
        public String table() {
            return table;
        }
    }

    private final JdbcTemplate jdbc;

    public RetentionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One batch: at most {@code limit} rows older than {@code olderThan}; returns how many went. */
    public int purgeBatch(Kind kind, Duration olderThan, int limit) {
        return jdbc.update(kind.sql, olderThan.toSeconds(), limit);
    }
}
