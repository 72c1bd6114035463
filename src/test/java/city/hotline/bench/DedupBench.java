package city.hotline.bench;

import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import javax.sql.DataSource;

import city.hotline.hub.dedup.DedupIndex;
import city.hotline.hub.dedup.DedupProperties;
import city.hotline.hub.dedup.LookupBounds;
import city.hotline.hub.dedup.MergeDecision;
import city.hotline.hub.dedup.Report;
import city.hotline.hub.dedup.TextNormaliser;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dedup decision with 10^4, 10^5 (and 10^6) reports in the window (docs/dedup.md, "Speed"): an
 * embedded PostgreSQL with the hub's migrations, the index filled with synthetic reports (4 to 7 clauses
 * of the board posts in the evaluation set, in random order, each about one of some thousands of places, a third with a
 * phone), all inside one window; then the decision the storing transaction makes for a new report,
 * timed: the index look-up (DedupIndex.candidates) plus the exact check of every candidate
 * (MergeDecision). Half the probes are near duplicates of a stored report, half are new.
 *
 * <p>Run: {@code mvn -B -Pbench test-compile exec:java@dedup [-Dexec.args="10000 100000 1000000"]}.
 * The load uses COPY (the hub itself adds reports with JDBC batches inside its transaction); fsync is
 * off during the run, which changes nothing for the reads measured here.
 */
public final class DedupBench {

    private static final int PROBES = Integer.getInteger("bench.dedup.probes", 2000);
    private static final LookupBounds BOUNDS = new LookupBounds(DedupProperties.defaults().maxCandidates(),
            Integer.getInteger("bench.dedup.rowsPerKey", DedupProperties.defaults().rowsPerKey()),
            Integer.getInteger("bench.dedup.rowsPerPlace", DedupProperties.defaults().rowsPerPlace()));
    /** As the hub asks (NearDuplicates): the candidates whose sketch says no rule could merge them are not read. */
    private static final int MIN_AGREEMENT = city.hotline.hub.dedup.NearDuplicates.minAgreement(DedupProperties.defaults());
    private static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofDays(7);

    private final List<String> sentences = new ArrayList<>();
    private final List<String> places = new ArrayList<>();
    private final DedupIndex index;
    private final JdbcTemplate jdbc;
    private final DataSource ds;
    private final MergeDecision decision = new MergeDecision(DedupProperties.defaults());
    private long loaded;
    private long[] lookups;
    private int probe = -1;

    private DedupBench(DataSource ds) {
        this.ds = ds;
        this.jdbc = new JdbcTemplate(ds);
        // the look-ups on one open connection, as the hub makes them (a pooled connection inside the storing
        // transaction): the embedded database's DataSource opens a new connection, i.e. forks a backend, per
        // call, which cost more than the look-up itself (the figures before this change included it)
        try {
            this.index = new DedupIndex(new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(ds.getConnection(), true)));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        // clauses of the evaluation set's board posts (src/test/resources/dedup): some ten thousand
        try (var in = DedupBench.class.getResourceAsStream("/dedup/eval-pairs.csv");
             com.fasterxml.jackson.databind.MappingIterator<java.util.Map<String, String>> rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                     .readerForMapOf(String.class).with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader()).readValues(in)) {
            java.util.Set<String> seen = new java.util.LinkedHashSet<>();
            while (rows.hasNext()) {
                var row = rows.next();
                for (String body : List.of(row.get("a_content"), row.get("b_content"))) {
                    for (String s : body.split("[。！？!?，,；;\\n]")) {
                        String t = s.strip();
                        if (t.length() >= 6) {
                            seen.add(t);
                        }
                    }
                }
            }
            sentences.addAll(seen);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String han = "东西南北新华文明光人民建设解放和平长青松柏桂花梅溪岳麓星沙芙蓉雨花天心开福望城金星银盆枫林韶山劳动万家丽湘江";
        String[] kinds = {"路", "小区", "花园", "家园", "大道", "街道", "学校"};
        Random r = new Random(1);
        for (int i = 0; i < 5000; i++) {
            places.add("" + han.charAt(r.nextInt(han.length())) + han.charAt(r.nextInt(han.length())) + han.charAt(r.nextInt(han.length()))
                    + kinds[r.nextInt(kinds.length)]);
        }
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = args.length == 0 ? new long[] {10_000, 100_000} : Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        // not under target/test-data: a test build started meanwhile cleans that folder
        Path dir = Path.of("target", "dedup-bench", "postgres").toAbsolutePath();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off").setServerConfig("shared_buffers", System.getProperty("bench.dedup.sharedBuffers", "256MB"))
                .setServerConfig("max_wal_size", "4GB").start()) {
            DataSource ds = pg.getPostgresDatabase();
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            DedupBench bench = new DedupBench(ds);
            System.out.printf("%nDedup decision benchmark: %d probes per size, window %d d, %d rows per bucket/requester, %d per place, %d sentences, %d places%n",
                    PROBES, WINDOW.toDays(), BOUNDS.rowsPerKey(), BOUNDS.rowsPerPlace(), bench.sentences.size(), bench.places.size());
            System.out.println("| reports in window | load s | index size (entries+bands+keys) | p50 ms | p95 ms | p99 ms | max ms | p99 of the look-up alone, ms | candidates checked (mean) | merged |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (long size : sizes) {
                bench.measure(size);
            }
        }
    }

    private void measure(long size) throws Exception {
        long t0 = System.nanoTime();
        load(size);
        jdbc.execute("VACUUM ANALYZE dedup_entry");
        jdbc.execute("VACUUM ANALYZE dedup_band");
        jdbc.execute("VACUUM ANALYZE dedup_key");
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        Long bytes = jdbc.queryForObject("SELECT pg_total_relation_size('dedup_entry') + pg_total_relation_size('dedup_band') + pg_total_relation_size('dedup_key')", Long.class);
        Random r = new Random(size);
        probe = -1;
        for (int i = 0; i < 200; i++) {
            decide(probe(r));
        }
        long[] nanos = new long[PROBES];
        lookups = new long[PROBES];
        long candidates = 0;
        int merged = 0;
        for (int i = 0; i < PROBES; i++) {
            Report p = probe(r);
            long s = System.nanoTime();
            probe = i;
            int[] outcome = decide(p);
            nanos[i] = System.nanoTime() - s;
            candidates += outcome[0];
            merged += outcome[1];
        }
        if (Boolean.getBoolean("bench.dedup.explain")) {
            // where a look-up's time goes: a near duplicate and a new report not looked up before
            for (Report p : List.of(report((long) (r.nextDouble() * loaded), text((long) (r.nextDouble() * loaded)) + "请尽快处理", BASE.plus(Duration.ofHours(84)), Set.of()),
                    report(loaded + 2_000_000L + r.nextInt(1000), text(loaded + 2_000_000L + r.nextInt(1000)), BASE.plus(Duration.ofHours(84)), Set.of()))) {
                System.out.println(index.explain(p, p.buckets(), WINDOW, BOUNDS));
            }
        }
        Arrays.sort(nanos);
        Arrays.sort(lookups);
        System.out.printf(Locale.ROOT, "| %,d | %.0f | %,d MB | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %d of %d |%n", size, loadSeconds,
                bytes / (1024 * 1024), ms(nanos, 0.50), ms(nanos, 0.95), ms(nanos, 0.99), nanos[nanos.length - 1] / 1e6, ms(lookups, 0.99),
                (double) candidates / PROBES, merged, PROBES);
    }

    /** What NearDuplicates.plan does for one draft, minus the writes: look up, then check each candidate. */
    private int[] decide(Report report) {
        long s = System.nanoTime();
        List<DedupIndex.Candidate> candidates = index.candidatesWorthChecking(List.of(report), List.of(report.buckets()), WINDOW, BOUNDS,
                MIN_AGREEMENT).get(0);
        if (lookups != null && probe >= 0) {
            lookups[probe] = System.nanoTime() - s;
        }
        boolean merge = false;
        for (DedupIndex.Candidate c : candidates) {
            merge |= decision.decide(report, c.report()).merge();
        }
        return new int[] {candidates.size(), merge ? 1 : 0};
    }

    /** Half near duplicates of a stored report (re-posted with a remark), half new reports. */
    private Report probe(Random r) {
        Instant at = BASE.plus(Duration.ofHours(84));
        if (r.nextBoolean()) {
            long i = (long) (r.nextDouble() * loaded);
            return report(i, text(i) + "已经反映过一次了，请尽快处理", at, Set.of());
        }
        long i = loaded + r.nextInt(1_000_000);
        return report(i, text(i), at, Set.of());
    }

    private String text(long i) {
        Random r = new Random(i * 7919 + 17);
        StringBuilder sb = new StringBuilder(places.get(r.nextInt(places.size()))).append('，');
        int n = 4 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
            sb.append(sentences.get(r.nextInt(sentences.size()))).append('。');
        }
        // the board posts' boilerplate, at about its rate there (an opening in 1 of 10 posts, a closing in 1 of 10)
        if (r.nextInt(10) == 0) {
            sb.insert(0, OPENINGS[r.nextInt(OPENINGS.length)]);
        }
        if (r.nextInt(10) == 0) {
            sb.append(CLOSINGS[r.nextInt(CLOSINGS.length)]);
        }
        return sb.toString();
    }

    private static final String[] OPENINGS = {"尊敬的领导：您好！", "尊敬的胡书记：", "胡书记：您好！", "尊敬的领导，您好，", "尊敬的书记：您好！"};
    private static final String[] CLOSINGS = {"恳请领导关注，谢谢！", "望相关部门尽快处理，谢谢！", "希望领导重视，给我们一个答复。"};

    private static Report report(long i, String text, Instant at, Set<String> ids) {
        return new Report(TextNormaliser.withBreaks(text), "", null, at, ids);
    }

    /**
     * Adds reports up to {@code size} with COPY, spread evenly over the window. Only to load faster, the
     * look-up indexes are dropped during the load and rebuilt after it from their own definitions (so
     * they are exactly the migrations' indexes), and the foreign-key triggers are off for the load.
     */
    private void load(long size) throws Exception {
        List<String> defs = jdbc.queryForList("""
                SELECT indexdef FROM pg_indexes WHERE tablename IN ('dedup_entry', 'dedup_band', 'dedup_key')
                AND indexname NOT IN (SELECT conname FROM pg_constraint)""", String.class);
        for (String def : defs) {
            jdbc.execute("DROP INDEX " + def.replaceFirst("^CREATE (UNIQUE )?INDEX (\\S+) ON .*$", "$2"));
        }
        try (Connection c = ds.getConnection()) {
            try (var st = c.createStatement()) {
                st.execute("SET session_replication_role = replica");
            }
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            while (loaded < size) {
                long end = Math.min(size, loaded + 20_000);
                StringBuilder entries = new StringBuilder();
                StringBuilder bands = new StringBuilder();
                StringBuilder keys = new StringBuilder();
                for (long i = loaded; i < end; i++) {
                    long id = i + 1;
                    Instant at = BASE.plusSeconds((i * 7919) % WINDOW.toSeconds());
                    Set<String> ids = i % 3 == 0 ? Set.of("phone:+86138" + String.format("%08d", i % 5_000_000)) : Set.of();
                    Report rep = report(i, text(i), at, ids);
                    String ts = at.toString();
                    entries.append(id).append('\t').append("B").append(i).append("\twebform\tdefault\tbench-").append(i).append('\t')
                            .append(rep.fingerprint()).append('\t').append(ts).append('\t').append(rep.storedContent()).append('\t')
                            .append(rep.storedPlace()).append('\t').append('{').append(String.join(",", rep.identities())).append("}\t")
                            .append("\\\\x").append(java.util.HexFormat.of().formatHex(rep.sketch())).append('\n');
                    for (long b : rep.buckets()) {
                        bands.append(b).append('\t').append(ts).append('\t').append(id).append('\n');
                    }
                    for (String k : rep.keys()) {
                        keys.append(k).append('\t').append(ts).append('\t').append(id).append('\n');
                    }
                }
                copy.copyIn("COPY dedup_entry (id, ticket_id, channel, client, channel_item_id, fingerprint, reported_at, norm_text, place_text, identities, sketch) FROM STDIN",
                        new StringReader(entries.toString()));
                copy.copyIn("COPY dedup_band (bucket, reported_at, entry_id) FROM STDIN", new StringReader(bands.toString()));
                copy.copyIn("COPY dedup_key (key, reported_at, entry_id) FROM STDIN", new StringReader(keys.toString()));
                loaded = end;
            }
            try (var st = c.createStatement()) {
                st.execute("SET session_replication_role = DEFAULT");
            }
        }
        for (String def : defs) {
            jdbc.execute(def);
        }
        jdbc.execute("SELECT setval('dedup_entry_id_seq', " + Math.max(1, loaded) + ")");
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
