package city.hotline.bench;

import static city.hotline.bench.Report.millis;
import static city.hotline.bench.Report.mib;
import static city.hotline.bench.Report.perSecond;
import static city.hotline.bench.Report.ratio;

import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The load driver (README, "Benchmark"). One run measures the machine's ceilings for the hub's kinds
 * of work, then starts the hub in its own JVM with its embedded defaults and drives web-form intake
 * through real HTTP to a case-system stand-in in this JVM: warm-up, full speed, a fixed rate, and a
 * backlog written straight into the inbox. It prints one table and writes it to
 * {@code target/bench/result.md}. Every phase is bounded in time; the driver stops by itself.
 *
 * <p>Not a test: nothing here runs in {@code mvn verify}; its figures move with the machine, so they
 * are reported next to ceilings measured in the same run rather than asserted.
 */
public final class HubBench {

    private static final long GIB = 1L << 30;

    /** How long each machine-speed probe measures ({@link CpuProbe}). */
    private static final Duration PROBE = Duration.ofSeconds(3);

    private final BenchConfig cfg;
    private final IntakeLoad load;
    private final Report report = new Report();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private DiskStallProbe disk;

    private HubBench(BenchConfig cfg) {
        this.cfg = cfg;
        this.load = new IntakeLoad(cfg.concurrency(), cfg.texts());
    }

    public static void main(String[] args) throws Exception {
        // The driver's own libraries (Artemis, PostgreSQL, HttpClient) would log every message at
        // DEBUG without a logback file, and that logging would count against the ceilings. No
        // logback-test.xml for this: the hub under test runs on the same class path.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        BenchConfig cfg = BenchConfig.fromSystemProperties();
        log("hotline-hub benchmark: " + cfg.describe());
        new HubBench(cfg).run();
    }

    private void run() throws Exception {
        Files.createDirectories(cfg.dir());
        double probeBefore = CpuProbe.mbPerSecond(PROBE);
        log(String.format("machine speed: SHA-256 on one core %.0f MB/s", probeBefore));
        double httpCeiling = ceilings();
        // after the ceilings: its flushes would count against the PostgreSQL commit ceiling
        disk = new DiskStallProbe(cfg.dir().resolve("disk-probe"));
        // -Dbench.pgPort=<port> -Dbench.datasourceUrl=jdbc:postgresql://127.0.0.1:<port>/postgres runs the hub against
        // a PostgreSQL of your own (e.g. one with pg_stat_statements, to profile it); empty: the embedded one
        int pgPort = Integer.getInteger("bench.pgPort", BenchHub.freePort());
        try (BenchHub hub = BenchHub.start("hub", cfg, cfg.dedup(), load, pgPort, System.getProperty("bench.datasourceUrl", ""))) {
            BenchHub.WarmUp warmUp = hub.warmUp();
            fullSpeed(hub, httpCeiling, warmUp);
            double probeAfter = CpuProbe.mbPerSecond(PROBE);
            log(String.format("machine speed after full speed (hub idle): SHA-256 on one core %.0f MB/s", probeAfter));
            report.figure("machine speed: SHA-256 on one core, after full speed (hub idle) against before the ceilings",
                    String.format("%.0f MB/s", probeAfter), String.format("%.0f MB/s", probeBefore), ratio(probeAfter, probeBefore), "", null);
            fixedRate(hub);
            backlog(hub);
            integrity(hub);
            long heap = hub.gauges.peakHeapUsed.get();
            long live = hub.gauges.peakLiveAfterGc.get();
            boolean oom;
            try (Stream<String> lines = Files.lines(hub.jvm.log)) {
                oom = lines.anyMatch(l -> l.contains("OutOfMemoryError"));
            }
            report.figure("hub heap, peak used (live data after an old-generation GC: "
                            + (live > 0 ? mib(live) : "no such GC happened") + (oom ? "; OutOfMemoryError in hub.log" : "") + ")",
                    mib(heap), "-Xmx" + cfg.hubHeap(), "", "< 1 GiB", heap > 0 && heap < GIB && !oom && hub.jvm.process.isAlive());
        }
        disk.close();
        String title = "hotline-hub benchmark, " + Instant.now() + (cfg.quick() ? " (quick smoke run)" : "");
        report.note("settings: " + cfg.describe() + "; " + Runtime.getRuntime().availableProcessors() + " cores");
        String md = report.markdown(title);
        Files.writeString(cfg.dir().resolve("result.md"), md);
        System.out.println();
        System.out.println(md);
        log("written to " + cfg.dir().resolve("result.md"));
    }

    /** Phase 1: answers the HTTP ceiling (202/s of a bare Spring MVC endpoint); PostgreSQL and JMS go to the report. */
    private double ceilings() throws Exception {
        Ceilings ceilings = new Ceilings(load, cfg.ceiling());
        log("ceiling: PostgreSQL commits (fsync on)");
        Ceilings.Rate[] pg = ceilings.postgres(cfg.dir().resolve("ceiling-postgres"));
        report.ceiling("ceiling: PostgreSQL single-row commits, 1 connection", perSecond(pg[0].perSecond()));
        report.ceiling("ceiling: PostgreSQL rows in batches of 50, 1 connection", perSecond(pg[1].perSecond()));
        log("ceiling: persistent JMS sends");
        BenchHub.deleteTree(cfg.dir().resolve("ceiling-artemis"));
        Ceilings.Rate[] jms = ceilings.jms(cfg.dir().resolve("ceiling-artemis"));
        report.ceiling("ceiling: persistent JMS sends, 1 thread", perSecond(jms[0].perSecond()));
        report.ceiling("ceiling: persistent JMS sends, 4 threads", perSecond(jms[1].perSecond()));
        log("ceiling: bare Spring MVC endpoint answering 202");
        int port = BenchHub.freePort();
        String url = "http://127.0.0.1:" + port + "/api/v1/intake/webform";
        try (ChildJvm bare = ChildJvm.start("bare-http", cfg.dir().resolve("bare-http.log"), cfg.hubHeap(), BareHttpApp.class.getName(),
                List.of("--server.port=" + port))) {
            bare.awaitStatus(url, 405, Duration.ofMinutes(2));
            load.fullSpeed("bare warm-up", URI.create(url), null, "c", cfg.ceilingWarmup(), false);
            Duration driverBefore = HubGauges.cpuOf(ProcessHandle.current());
            Duration serverBefore = bare.cpu();
            IntakeLoad.Phase p = load.fullSpeed("bare", URI.create(url), null, "c", cfg.ceiling(), false);
            double wallNanos = p.endNanos() - p.startNanos();
            double driverCores = HubGauges.cpuOf(ProcessHandle.current()).minus(driverBefore).toNanos() / wallNanos;
            double serverCores = bare.cpu().minus(serverBefore).toNanos() / wallNanos;
            report.ceiling("ceiling: bare Spring MVC 202, " + cfg.concurrency() + " in flight", perSecond(p.acceptedPerSecond()));
            report.note(String.format("bare HTTP ceiling: the server used %.2f cores, the load driver %.2f (%.0f µs of driver CPU a request)",
                    serverCores, driverCores, driverCores * 1e6 / p.acceptedPerSecond()));
            log(String.format("ceilings: pg %.0f/s single, %.0f rows/s batched; jms %.0f/s x1, %.0f/s x4; http %.0f/s",
                    pg[0].perSecond(), pg[1].perSecond(), jms[0].perSecond(), jms[1].perSecond(), p.acceptedPerSecond()));
            return p.acceptedPerSecond();
        }
    }

    /** Phase 3: as fast as the hub accepts; end to end = tickets of this phase / (last arrival - first send). */
    private void fullSpeed(BenchHub hub, double httpCeiling, BenchHub.WarmUp warmUp) throws Exception {
        log("full speed for " + cfg.fullSpeed().toSeconds() + " s");
        BenchHub.FullSpeed f = hub.fullSpeed("full speed");
        IntakeLoad.Phase p = f.phase();
        double endToEnd = f.endToEnd();
        double arrivingWhileLoaded = f.arrivingWhileLoaded();
        double[] cores = f.cores();
        long missing = f.missing();
        report.figure("intake at full speed (202/s; " + BenchHub.refusals(p) + ")", perSecond(p.acceptedPerSecond()), "HTTP " + perSecond(httpCeiling),
                ratio(p.acceptedPerSecond(), httpCeiling), "", null);
        report.figure("sustained tickets end to end, full speed (" + p.accepted() + " tickets, first send to last arrival)",
                perSecond(endToEnd), "HTTP " + perSecond(httpCeiling), ratio(endToEnd, httpCeiling), ">= 1,000/s", endToEnd >= 1000);
        report.figure("tickets reaching the case system while the load ran", perSecond(arrivingWhileLoaded),
                "HTTP " + perSecond(httpCeiling), ratio(arrivingWhileLoaded, httpCeiling), "", null);
        report.figure("CPU at full speed: hub JVM + its PostgreSQL, cores", String.format("%.2f + %.2f", cores[0], cores[1]),
                Runtime.getRuntime().availableProcessors() + " cores", ratio(cores[0] + cores[1], Runtime.getRuntime().availableProcessors()),
                "", null);
        report.figure("CPU at full speed: the load driver with the case-system stand-in (its JVM), cores", String.format("%.2f", cores[2]),
                Runtime.getRuntime().availableProcessors() + " cores", ratio(cores[2], Runtime.getRuntime().availableProcessors()), "", null);
        report.figure("warm-up at full speed before this phase (until the hub's JIT worked at most "
                        + Math.round(100 * cfg.warmupJitShare()) + " % of the last " + cfg.warmupRound().toSeconds() + " s, or "
                        + cfg.warmupMax().toSeconds() + " s; its share then)", warmUp.length().toSeconds() + " s",
                "", String.format("%.0f %%", 100 * warmUp.lastJitShare()), "", null);
        if (!Double.isNaN(f.jitSeconds())) {
            // a JIT still busy in the measured phase means the warm-up was too short for this run
            double jitSeconds = f.jitSeconds();
            report.figure("hub JIT compiling during full speed (compiler threads' time; share of the phase)", String.format("%.1f s", jitSeconds),
                    cfg.fullSpeed().toSeconds() + " s", ratio(jitSeconds, cfg.fullSpeed().toSeconds()), "", null);
        }
        diskFigure("full speed", disk.between(p.startNanos(), f.lastArrivalNanos()));
        log(String.format("full speed: intake %.0f/s, end to end %.0f/s, %d missing", p.acceptedPerSecond(), endToEnd, missing));
    }

    /** Phase 4: a steady {@code fixedRate}/s; latency from when each request was due to its arrival at the case system. */
    private void fixedRate(BenchHub hub) throws Exception {
        log("fixed rate " + cfg.fixedRate() + "/s for " + cfg.fixedRateFor().toSeconds() + " s");
        CaseSystemStandIn caseSystem = hub.caseSystem;
        IntakeLoad.Phase p = load.fixedRate("fixed rate", hub.intake, BenchHub.API_KEY, "r-" + run + "-", cfg.fixedRateFor(), cfg.fixedRate());
        hub.allAccepted.addAll(p.acceptedIds());
        long missing = caseSystem.awaitAll(p.acceptedIds(), cfg.drainMax());
        long[] latencies = p.acceptedIds().stream().map(id -> {
            CaseSystemStandIn.Arrival a = caseSystem.arrival(id);
            return a == null ? null : a.nanos() - load.sentAt.get(id);
        }).filter(l -> l != null).mapToLong(Long::longValue).sorted().toArray();
        double p50 = percentile(latencies, 0.50);
        double p99 = percentile(latencies, 0.99);
        report.figure("intake -> case system at " + cfg.fixedRate() + "/s, p50 (" + p.accepted() + " of " + p.sent() + " sent accepted; "
                + BenchHub.refusals(p) + ")", millis(p50), "", "", "", null);
        report.figure("intake -> case system at " + cfg.fixedRate() + "/s, p99 (max " + millis(percentile(latencies, 1.0)) + ")",
                millis(p99), "", "", "< 250 ms", latencies.length > 0 && missing == 0 && p99 < 250);
        diskFigure(cfg.fixedRate() + "/s", disk.between(p.startNanos(), System.nanoTime()));
        log(String.format("fixed rate: %d accepted of %d sent, p50 %.0f ms, p99 %.0f ms, %d missing", p.accepted(), p.sent(), p50, p99, missing));
    }

    /** The disk beside a phase ({@link DiskStallProbe}): a run whose disk stalled is slower for it, whatever the hub does. */
    private void diskFigure(String phase, DiskStallProbe.Window w) {
        report.figure("disk during " + phase + ": longest 4 KiB write + fdatasync, one every 20 ms beside the hub ("
                + w.stallsDescribed() + ")", millis(w.longestNanos() / 1e6), "", "", "", null);
        log("disk during " + phase + ": longest flush " + millis(w.longestNanos() / 1e6) + " (" + w.stallsDescribed() + ")");
    }

    /** Phase 5: K items appear in the inbox at once; how long until all reach the case system. */
    private void backlog(BenchHub hub) throws Exception {
        log("backlog: writing " + cfg.backlog() + " inbox rows");
        CaseSystemStandIn caseSystem = hub.caseSystem;
        List<String> ids = Backlog.load(hub.jdbcUrl(), load, "b-" + run + "-", cfg.backlog());
        long committed = System.nanoTime();
        hub.allAccepted.addAll(ids);
        HubGauges.Cpu before = hub.gauges.cpu();
        long missing = caseSystem.awaitAll(ids, cfg.backlogMax());
        long last = ids.stream().map(caseSystem::arrival).filter(a -> a != null).mapToLong(CaseSystemStandIn.Arrival::nanos)
                .max().orElse(committed);
        double[] cores = hub.gauges.cpu().coresSince(before);
        double seconds = (last - committed) / 1e9;
        double rate = (ids.size() - missing) / Math.max(seconds, 1e-3);
        double forMillion = 1_000_000 / rate;
        boolean million = ids.size() >= 1_000_000;
        report.figure("backlog of " + String.format("%,d", ids.size()) + " inbox items cleared"
                        + (missing > 0 ? " (NOT cleared: " + missing + " left after " + cfg.backlogMax().toSeconds() + " s)" : ""),
                String.format("%.0f s (%s)", seconds, perSecond(rate)), "", "", "", null);
        report.figure("backlog of 1,000,000 cleared" + (million ? "" : " (extrapolated at that rate)"),
                String.format("%.1f min", forMillion / 60), "", "", "< 20 min", missing == 0 && forMillion < 20 * 60);
        report.figure("CPU while clearing the backlog: hub JVM + its PostgreSQL, cores", String.format("%.2f + %.2f", cores[0], cores[1]),
                "", "", "", null);
        log(String.format("backlog: %d items in %.1f s (%.0f/s), %d missing", ids.size() - missing, seconds, rate, missing));
    }

    /** Every accepted item reached the case system exactly once; nothing sits quarantined. */
    private void integrity(BenchHub hub) throws Exception {
        CaseSystemStandIn caseSystem = hub.caseSystem;
        long lost = hub.lost(Duration.ofSeconds(30));
        long duplicates = caseSystem.duplicates();
        report.figure("tickets lost (accepted, never reached the case system) of " + String.format("%,d", hub.allAccepted.size()),
                Long.toString(lost), "", "", "0", lost == 0);
        report.figure("duplicates (same item POSTed again " + caseSystem.resentSameTicket + ", under another ticket id "
                + caseSystem.resentOtherTicket + ", repeated update key " + caseSystem.repeatedUpdateKeys + ")",
                Long.toString(duplicates), "", "", "0", duplicates == 0);
        report.note("case system saw " + caseSystem.posts + " POSTs and " + caseSystem.updates + " PUT updates ("
                + caseSystem.mergedArrivals + " items arrived merged into another ticket); "
                + caseSystem.unreadable + " unreadable bodies; quarantined in the hub: " + quarantined(hub.jdbcUrl()));
    }

    static String quarantined(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM quarantine")) {
            r.next();
            return Long.toString(r.getLong(1));
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
        return sortedNanos[Math.max(i, 0)] / 1e6;
    }

    static void log(String line) {
        System.out.println("[bench " + Instant.now() + "] " + line);
    }
}
