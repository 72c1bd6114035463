package city.hotline.hub.dedup;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import city.hotline.hub.store.SqlArrays;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

/**
 * The near-duplicate index in PostgreSQL (tables dedup_entry, dedup_band, dedup_key; V80), shared
 * by every hub instance. A look-up is one statement for a batch: the entries inside the window that share
 * the report's fingerprint, one of its LSH buckets or one of its keys (requester, specific place), best first,
 * each with its sketch; every part is an index range scan on (key, reported_at), so it stays fast as the
 * index grows. The texts of the candidates worth checking follow in one more statement, by id.
 */
@Repository
public class DedupIndex {

    /** A stored report the new one may duplicate, with the ticket that holds it. */
    public record Candidate(long entryId, String ticketId, Report report) {
    }

    /** A report to add to the index, held by {@code ticketId}. {@code report} JSON only for merged reports. */
    public record Entry(String ticketId, TicketStore.OriginKey key, Report report, long[] buckets, ObjectNode merged) {
    }

    /** Any constant: the key of the one advisory lock the storing transactions take. */
    private static final String LOCK_KEY = "hub.dedup.index";

    /**
     * The look-up of a whole batch of reports in one statement (item n's fingerprint, window, buckets and
     * keys travel as arrays): each part is an index range scan on (key, reported_at) per item, so it stays
     * fast as the index grows, and the batch costs one round trip and one execution, not one per item.
     */
    private static final String LOOKUP = """
                WITH item AS (
                    SELECT * FROM unnest(?::int[], ?::text[], ?::timestamptz[], ?::timestamptz[]) AS i(n, fingerprint, lo, hi)
                ), hits AS (
                    -- weights: the same text first, then each shared bucket (similar wording), then each shared
                    -- key (same requester or place): a report that only names the same 小区 ranks last
                    SELECT b.n, h.entry_id, 10 AS w FROM (SELECT DISTINCT * FROM unnest(?::int[], ?::bigint[]) AS x(n, bucket)) b
                    JOIN item i ON i.n = b.n
                    CROSS JOIN LATERAL (SELECT d.entry_id FROM dedup_band d
                        WHERE d.bucket = b.bucket AND d.reported_at BETWEEN i.lo AND i.hi ORDER BY d.reported_at DESC LIMIT ?) h
                    UNION ALL
                    SELECT i.n, f.id, 1000 FROM item i
                    CROSS JOIN LATERAL (SELECT id FROM dedup_entry
                        WHERE fingerprint = i.fingerprint AND reported_at BETWEEN i.lo AND i.hi ORDER BY reported_at DESC LIMIT ?) f
                    UNION ALL
                    -- each key with its own bound: a place's fewer rows than a requester's (LookupBounds)
                    SELECT k.n, h.entry_id, 3 FROM (SELECT DISTINCT * FROM unnest(?::int[], ?::text[], ?::int[]) AS x(n, key, rows)) k
                    JOIN item i ON i.n = k.n
                    CROSS JOIN LATERAL (SELECT d.entry_id FROM dedup_key d
                        WHERE d.key = k.key AND d.reported_at BETWEEN i.lo AND i.hi ORDER BY d.reported_at DESC LIMIT k.rows) h
                ), best AS (
                    SELECT n, entry_id, w FROM (SELECT n, entry_id, sum(w) AS w,
                        row_number() OVER (PARTITION BY n ORDER BY sum(w) DESC, entry_id DESC) AS r FROM hits GROUP BY n, entry_id) ranked
                    WHERE r <= ?
                )
                SELECT e.id, e.ticket_id, e.fingerprint, e.identities, e.sketch, best.n
                FROM best JOIN dedup_entry e ON e.id = best.entry_id ORDER BY best.n, best.w DESC, e.id DESC""";

    /** The columns {@link #stored} reads, of entries by id: those the look-up found worth checking. */
    private static final String ENTRY_COLUMNS = "id, ticket_id, norm_text, place_text, fingerprint, reported_at, identities, title_text, places, primary_places, sketch";

    private final JdbcTemplate jdbc;

    /**
     * Stored reports by index entry id, most recently used kept. An entry's text, place, title, time and
     * identities never change once written, and a stored report is a candidate again and again (every
     * re-post of a viral complaint finds the same ones): kept, its places, shingles and title bigrams are
     * worked out once, not at every look-up. With merging on, that work for up to
     * {@code max-candidates} reports per item was where the inbox workers spent their time (thread dumps
     * of issue 11's throughput run). Bounded: about 6 KB a report, some 25 MB at most.
     */
    private static final int CACHED_REPORTS = 4096;
    private final Map<Long, Report> reports = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(CACHED_REPORTS * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Report> eldest) {
                    return size() > CACHED_REPORTS;
                }
            });

    public DedupIndex(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Serialises, across threads and instances, every transaction that adds to the index (and the split),
     * until it ends; the look-ups come before it (NearDuplicates.plan); see docs/dedup.md "Concurrency" for why one lock and not one per bucket.
     */
    public void lock() {
        jdbc.query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", rs -> { }, LOCK_KEY);
    }

    /**
     * The stored reports the new one may duplicate, best first, at most {@code bounds.candidates()}. Bounded: per LSH
     * bucket, per key and for the fingerprint it reads only the newest index rows inside the window that the
     * bounds allow (index-only scans, V81), so a decision reads at most (MinHash.BANDS + requester keys + 1) x rowsPerKey
     * + place keys x rowsPerPlace index entries plus {@code candidates} entry rows, whatever the size of the index or the popularity of a bucket
     * (boilerplate such as 尊敬的领导) or a place. A true near duplicate shares several buckets, so it is
     * still found when one popular bucket is cut short.
     */
    public List<Candidate> candidates(Report r, long[] buckets, Duration window, LookupBounds bounds) {
        return candidatesOfEach(List.of(r), List.of(buckets), window, bounds).get(0);
    }

    /**
     * {@link #candidates} of each report, in one statement: item i's in list i. How many reports each
     * candidate's ticket holds is read under the index lock ({@link #holders}), not here.
     */
    public List<List<Candidate>> candidatesOfEach(List<Report> reports, List<long[]> buckets, Duration window, LookupBounds bounds) {
        return candidatesWorthChecking(reports, buckets, window, bounds, 0);
    }

    /**
     * {@link #candidatesOfEach}, but only those worth the exact check: the same text, a requester in common,
     * or a sketch ({@link MinHash#sketch}) that agrees with the report's in at least {@code minAgreement}
     * of its 64 positions (0: every candidate). The look-up returns each candidate's sketch, not its texts;
     * the texts of those worth checking (and not kept already) are then read in one statement by id. Most
     * candidates of a busy index share only a place or one bucket of boilerplate with the report, and no
     * rule could merge them: they cost 128 bytes each instead of their letters and a check.
     */
    public List<List<Candidate>> candidatesWorthChecking(List<Report> reports, List<long[]> buckets, Duration window, LookupBounds bounds,
                                                         int minAgreement) {
        List<List<Long>> ids = new ArrayList<>();
        reports.forEach(r -> ids.add(new ArrayList<>()));
        Map<Long, String> ticketOf = new HashMap<>();
        Map<Long, Report> found = new HashMap<>();
        Set<Long> toRead = new java.util.LinkedHashSet<>();
        jdbc.query(LOOKUP, ps -> bind(ps, reports, buckets, window, bounds), (RowCallbackHandler) rs -> {
            long id = rs.getLong(1);
            Report r = reports.get(rs.getInt(6));
            byte[] sketch = rs.getBytes(5);
            if (worthChecking(r, rs.getString(3), textSet(rs.getArray(4)), sketch, minAgreement)) {
                ids.get(rs.getInt(6)).add(id);
                ticketOf.put(id, rs.getString(2));
                Report kept = found.containsKey(id) ? found.get(id) : this.reports.get(id);
                if (kept != null) {
                    found.put(id, kept);
                } else {
                    toRead.add(id);
                }
            }
        });
        if (!toRead.isEmpty()) {
            jdbc.query("SELECT " + ENTRY_COLUMNS + " FROM dedup_entry WHERE id = ANY(?)",
                    ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", toRead.toArray())),
                    (RowCallbackHandler) rs -> found.put(rs.getLong(1), stored(rs)));
        }
        List<List<Candidate>> out = new ArrayList<>();
        for (List<Long> item : ids) {
            // an entry purged between the two statements is simply no candidate
            out.add(item.stream().filter(found::containsKey).map(id -> new Candidate(id, ticketOf.get(id), found.get(id))).toList());
        }
        return out;
    }

    /**
     * Whether a stored report found by the look-up could be merged with {@code incoming} by some rule, judged
     * without its texts: the same text, a requester in common (rules 7 and 8 need no similarity), no sketch
     * (stored before V123), or a sketch that agrees with the report's in at least {@code minAgreement} positions.
     * A report shorter than {@link MinHash#SKETCH_MIN_CHARS} has every candidate checked: its sketch is too sparse to judge by.
     */
    static boolean worthChecking(Report incoming, String fingerprint, Set<String> identities, byte[] sketch, int minAgreement) {
        return minAgreement <= 0 || sketch == null || incoming.normText().length() < MinHash.SKETCH_MIN_CHARS
                || incoming.fingerprint().equals(fingerprint)
                || !java.util.Collections.disjoint(incoming.identities(), identities)
                || MinHash.agreement(incoming.sketch(), sketch) >= minAgreement;
    }

    /** The row's report: the one kept for its entry id, or made from the row (columns of {@code LOOKUP}). */
    private Report stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        long id = rs.getLong(1);
        Report r = reports.get(id);
        if (r == null) {
            r = new Report(rs.getString(3), rs.getString(4), rs.getString(8), rs.getString(5), rs.getTimestamp(6).toInstant(),
                    textSet(rs.getArray(7)));
            r.useStoredPlaces(Places.decode(rs.getString(9)), Places.decode(rs.getString(10)));
            r.useStoredSketch(rs.getBytes(11));
            reports.put(id, r);
        }
        return r;
    }

    /**
     * The highest entry id committed so far. Entry ids are drawn only while the index lock is held
     * ({@link #addAll} runs under it), and holders follow one another, so every entry a look-up after
     * this call cannot see yet (in flight, or committed later) has a higher id: {@link #entriesAfter}
     * finds exactly those once the lock is taken.
     */
    public long watermark() {
        Long id = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM dedup_entry", Long.class);
        return id == null ? 0 : id;
    }

    /**
     * The entries with an id above {@code watermark} whose report falls between {@code from} and
     * {@code to}, oldest first, at most {@code limit} (a primary-key range scan: only what was written
     * since the watermark is read).
     */
    public List<Candidate> entriesAfter(long watermark, Instant from, Instant to, int limit) {
        return jdbc.query("SELECT " + ENTRY_COLUMNS + " FROM dedup_entry WHERE id > ? AND reported_at BETWEEN ? AND ? ORDER BY id LIMIT ?",
                (rs, i) -> new Candidate(rs.getLong(1), rs.getString(2), stored(rs)),
                watermark, Timestamp.from(from), Timestamp.from(to), limit);
    }

    /** Who holds an entry now, and how many reports that ticket holds (counted up to max-origins). */
    public record Holder(String ticketId, int origins) {
    }

    /**
     * The ticket each of these entries points at now, with its report count: read under the index lock,
     * so a split or a merge committed since the look-up is seen. Entries purged since are absent.
     */
    public Map<Long, Holder> holders(Collection<Long> entryIds, int maxOrigins) {
        Map<Long, Holder> out = new HashMap<>();
        if (entryIds.isEmpty()) {
            return out;
        }
        jdbc.query("""
                SELECT e.id, e.ticket_id,
                    (SELECT count(*) FROM (SELECT 1 FROM dedup_entry o WHERE o.ticket_id = e.ticket_id LIMIT ?) held)
                FROM dedup_entry e WHERE e.id = ANY(?)""",
                ps -> {
                    ps.setInt(1, Math.max(1, maxOrigins));
                    ps.setArray(2, ps.getConnection().createArrayOf("bigint", entryIds.toArray()));
                },
                (RowCallbackHandler) rs -> out.put(rs.getLong(1), new Holder(rs.getString(2), rs.getInt(3))));
        return out;
    }

    /** The look-up's plan with EXPLAIN (ANALYZE, BUFFERS): where its time goes (the benchmark prints it). */
    public String explain(Report r, long[] buckets, Duration window, LookupBounds bounds) {
        return String.join("\n", jdbc.query("EXPLAIN (ANALYZE, BUFFERS) " + LOOKUP,
                ps -> bind(ps, List.of(r), List.of(buckets), window, bounds), (rs, i) -> rs.getString(1)));
    }

    private static void bind(java.sql.PreparedStatement ps, List<Report> reports, List<long[]> buckets, Duration window,
                             LookupBounds bounds) throws java.sql.SQLException {
        int n = reports.size();
        int[] items = new int[n];
        String[] fingerprints = new String[n];
        String[] from = new String[n];
        String[] to = new String[n];
        int bucketCount = buckets.stream().mapToInt(b -> b.length).sum();
        // primitive arrays: the driver writes them in binary, without a boxed object per bucket
        int[] bucketItems = new int[bucketCount];
        long[] bucketValues = new long[bucketCount];
        List<Integer> keyItems = new ArrayList<>();
        List<String> keyValues = new ArrayList<>();
        List<Integer> keyRows = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < n; i++) {
            Report r = reports.get(i);
            items[i] = i;
            fingerprints[i] = r.fingerprint();
            from[i] = r.reportedAt().minus(window).toString();
            to[i] = r.reportedAt().plus(window).toString();
            for (long b : buckets.get(i)) {
                bucketItems[at] = i;
                bucketValues[at++] = b;
            }
            for (String k : r.keys()) {
                keyItems.add(i);
                keyValues.add(k);
                keyRows.add(bounds.rowsFor(k));
            }
        }
        // the driver's own connection takes primitive arrays (java.sql.Connection only Object[])
        org.postgresql.jdbc.PgConnection c = ps.getConnection().unwrap(org.postgresql.jdbc.PgConnection.class);
        ps.setArray(1, c.createArrayOf("int4", items));
        ps.setArray(2, c.createArrayOf("text", fingerprints));
        ps.setArray(3, c.createArrayOf("text", from));
        ps.setArray(4, c.createArrayOf("text", to));
        ps.setArray(5, c.createArrayOf("int4", bucketItems));
        ps.setArray(6, c.createArrayOf("int8", bucketValues));
        ps.setInt(7, bounds.rowsPerKey());
        ps.setInt(8, bounds.rowsPerKey());
        ps.setArray(9, c.createArrayOf("int4", keyItems.stream().mapToInt(Integer::intValue).toArray()));
        ps.setArray(10, c.createArrayOf("text", keyValues.toArray(String[]::new)));
        ps.setArray(11, c.createArrayOf("int4", keyRows.stream().mapToInt(Integer::intValue).toArray()));
        ps.setInt(12, bounds.candidates());
    }

    /**
     * Adds reports to the index in two statements whatever their number: their ids, then one statement
     * that writes the entries and, for each entry written (an entry already there is left as it is), its
     * bucket and key rows, all from arrays ({@link SqlArrays}): executed once, not once per row. The hub
     * calls it under the index lock ({@link #lock}), which {@link #watermark} relies on.
     */
    public void addAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Long> ids = jdbc.queryForList("SELECT nextval('dedup_entry_id_seq') FROM generate_series(1, ?)", Long.class, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            // kept with its worked-out shingles and buckets: the next batches match it from here (the id of
            // a batch that rolls back is never drawn again, so what is kept for it is never asked for)
            reports.put(ids.get(i), entries.get(i).report());
        }
        // lists (identities, keys, buckets) travel as one unit-separated string each: unnest cannot give an array per row;
        // an entry keeps its buckets and keys, by which the retention purge finds its rows (V124)
        jdbc.update("""
                WITH e AS (
                    INSERT INTO dedup_entry (id, ticket_id, channel, client, channel_item_id, fingerprint, reported_at, norm_text,
                        place_text, title_text, identities, report, places, primary_places, sketch, buckets, keys)
                    SELECT id, ticket_id, channel, client, item, fingerprint, reported_at::timestamptz, norm_text, place_text, title_text,
                        COALESCE(string_to_array(NULLIF(identities, ''), chr(31)), '{}'), report::jsonb, places, primary_places,
                        decode(sketch, 'hex'), string_to_array(buckets, chr(31))::bigint[], COALESCE(string_to_array(NULLIF(keys, ''), chr(31)), '{}')
                    FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                        AS t(id, ticket_id, channel, client, item, fingerprint, reported_at, norm_text, place_text, title_text, identities, report,
                            places, primary_places, sketch, buckets, keys)
                    ON CONFLICT ON CONSTRAINT dedup_entry_once DO NOTHING
                    RETURNING id, reported_at, buckets, keys
                ), bands AS (
                    INSERT INTO dedup_band (bucket, reported_at, entry_id) SELECT unnest(e.buckets), e.reported_at, e.id FROM e
                )
                INSERT INTO dedup_key (key, reported_at, entry_id) SELECT unnest(e.keys), e.reported_at, e.id FROM e""",
                ids.toArray(Long[]::new), SqlArrays.column(entries, Entry::ticketId), SqlArrays.column(entries, e -> e.key().channel()),
                SqlArrays.column(entries, e -> e.key().client()), SqlArrays.column(entries, e -> e.key().channelItemId()),
                SqlArrays.column(entries, e -> e.report().fingerprint()), SqlArrays.column(entries, e -> e.report().reportedAt().toString()),
                SqlArrays.column(entries, e -> e.report().storedContent()), SqlArrays.column(entries, e -> e.report().storedPlace()),
                SqlArrays.column(entries, e -> e.report().title()), SqlArrays.column(entries, e -> String.join("\u001f", e.report().identities())),
                SqlArrays.column(entries, e -> e.merged() == null ? null : Json.write(e.merged())),
                SqlArrays.column(entries, e -> e.report().placesIfFound() == null ? null : Places.encode(e.report().placesIfFound())),
                SqlArrays.column(entries, e -> Places.encode(e.report().primaryPlaces())),
                SqlArrays.column(entries, e -> java.util.HexFormat.of().formatHex(e.report().sketch())),
                SqlArrays.column(entries, e -> Arrays.stream(e.buckets()).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining("\u001f"))),
                SqlArrays.column(entries, e -> String.join("\u001f", e.report().keys())));
    }

    /** The report a merged origin arrived with (for a split), if it was merged. */
    public Optional<ObjectNode> mergedReport(TicketStore.OriginKey key) {
        return jdbc.queryForList("SELECT report::text FROM dedup_entry WHERE channel = ? AND client = ? AND channel_item_id = ? AND report IS NOT NULL",
                String.class, key.channel(), key.client(), key.channelItemId()).stream().map(Json::readObject).findFirst();
    }

    /** After a split: the origin's entry now points at its own ticket and is no longer a merged report. */
    public void moveEntry(TicketStore.OriginKey key, String ticketId) {
        jdbc.update("UPDATE dedup_entry SET ticket_id = ?, report = NULL WHERE channel = ? AND client = ? AND channel_item_id = ?",
                ticketId, key.channel(), key.client(), key.channelItemId());
    }

    /** The origins of a ticket with this channel and item id (one per API client that sent it), as (id, client). */
    public List<Object[]> originsOf(String ticketId, String channel, String channelItemId) {
        return jdbc.query("SELECT id, client FROM ticket_origin WHERE ticket_id = ? AND channel = ? AND channel_item_id = ? ORDER BY id",
                (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2)}, ticketId, channel, channelItemId);
    }

    /**
     * Moves an origin to another ticket, with its item's inbox rows, so the item's receipt names the
     * ticket that now holds it. Reply deliveries already queued stay with the ticket they were for.
     */
    public void moveOrigin(long originId, TicketStore.OriginKey key, String ticketId) {
        jdbc.update("UPDATE ticket_origin SET ticket_id = ? WHERE id = ?", ticketId, originId);
        jdbc.update("UPDATE inbox SET ticket_id = ? WHERE channel = ? AND client = ? AND channel_item_id = ? AND state = 'DONE'",
                ticketId, key.channel(), key.client(), key.channelItemId());
    }

    public long size() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM dedup_entry", Long.class);
        return n == null ? 0 : n;
    }

    private static Set<String> textSet(Array array) throws java.sql.SQLException {
        Set<String> out = new TreeSet<>();
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                out.add((String) o);
            }
        }
        return out;
    }
}
