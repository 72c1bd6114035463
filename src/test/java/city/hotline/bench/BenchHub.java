package city.hotline.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import city.hotline.hub.HotlineHubApplication;

/**
 * One hub under load: its JVM (embedded PostgreSQL and Artemis, or a PostgreSQL of your own), the
 * case-system stand-in it delivers to, its gauges and the load that drives it. {@link HubBench} runs one;
 * {@link MergingCost} runs two side by side, merging on and off, and takes turns loading them.
 */
final class BenchHub implements AutoCloseable {

    static final String API_KEY = "bench-key";

    /** How long a warm-up took, and the share of its last round the hub's JIT worked. */
    record WarmUp(Duration length, double lastJitShare) {
    }

    /**
     * A full-speed phase measured end to end: tickets of the phase over first send to last arrival at the
     * case system; cores as [hub, its PostgreSQL, driver with the stand-ins] over the same span.
     */
    record FullSpeed(IntakeLoad.Phase phase, long missing, long lastArrivalNanos, double endToEnd, double arrivingWhileLoaded,
                     double[] cores, double jitSeconds) {
        double seconds() {
            return (lastArrivalNanos - phase.startNanos()) / 1e9;
        }
    }

    final String name;
    final ChildJvm jvm;
    final CaseSystemStandIn caseSystem;
    final HubGauges gauges;
    final IntakeLoad load;
    final URI intake;
    final int pgPort;
    final Path dataDir;
    /** Every item id it answered 202 (or that the backlog wrote): each must reach its case system once. */
    final List<String> allAccepted = new ArrayList<>();
    private final BenchConfig cfg;
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    private BenchHub(String name, BenchConfig cfg, ChildJvm jvm, CaseSystemStandIn caseSystem, HubGauges gauges, IntakeLoad load,
                     URI intake, int pgPort, Path dataDir) {
        this.name = name;
        this.cfg = cfg;
        this.jvm = jvm;
        this.caseSystem = caseSystem;
        this.gauges = gauges;
        this.load = load;
        this.intake = intake;
        this.pgPort = pgPort;
        this.dataDir = dataDir;
    }

    /**
     * Starts a hub named {@code name} (its log {@code <dir>/<name>.log}, its data {@code <dir>/<name>-data}, wiped
     * first) with merging on or off, and waits until it is ready. {@code datasourceUrl} empty: its embedded
     * PostgreSQL on {@code pgPort}; otherwise that database (whose port {@code pgPort} must then be).
     */
    static BenchHub start(String name, BenchConfig cfg, boolean dedup, IntakeLoad load, int pgPort, String datasourceUrl) throws Exception {
        Path data = cfg.dir().resolve(name + "-data");
        deleteTree(data);
        int hubPort = freePort();
        String hubUrl = "http://127.0.0.1:" + hubPort;
        CaseSystemStandIn caseSystem = new CaseSystemStandIn(cfg.stall());
        ChildJvm jvm = null;
        try {
            jvm = ChildJvm.start(name, cfg.dir().resolve(name + ".log"), cfg.hubHeap(), HotlineHubApplication.class.getName(),
                    List.of("--server.port=" + hubPort, "--hub.data-dir=" + data, "--hub.api.keys=" + API_KEY,
                            "--hub.backends.case-system.status-secret=bench-status-secret-not-for-production",
                            "--hub.backends.case-system.url=" + caseSystem.baseUrl(), "--hub.embedded-postgres.port=" + pgPort,
                            // with merging on, the posts in turn would make most items join earlier tickets: bench.texts
                            // (mixed by default with bench.dedup, or halves) gives them texts of their own
                            "--hub.dedup.enabled=" + dedup,
                            "--spring.datasource.url=" + datasourceUrl));
            jvm.awaitStatus(hubUrl + "/actuator/health/readiness", 200, Duration.ofMinutes(5));
            HubBench.log(name + " up (pid " + jvm.pid() + ", log " + jvm.log + "), case system stand-in at " + caseSystem.baseUrl());
            return new BenchHub(name, cfg, jvm, caseSystem, new HubGauges(jvm, hubUrl, API_KEY, data), load,
                    URI.create(hubUrl + "/api/v1/intake/webform"), pgPort, data);
        } catch (Exception e) {
            if (jvm != null) {
                jvm.close();
            }
            caseSystem.close();
            throw e;
        }
    }

    /** The hub's PostgreSQL, for the driver's own statements (the backlog, the integrity check). */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
    }

    /**
     * Full-speed load until the JIT has compiled the hot paths, then the backlog drains. At least
     * {@code bench.warmupSeconds}; then, while the hub's compiler threads worked more than
     * {@code bench.warmupJitShare} of the last round, rounds of {@code bench.warmupRoundSeconds} more,
     * up to {@code bench.warmupMaxSeconds}. On 2 busy cores the compiler threads get a small share of
     * the CPU, and in some runs they were still compiling the hot paths after 100 s.
     */
    WarmUp warmUp() throws Exception {
        HubBench.log(name + " warm-up: full speed for " + cfg.warmup().toSeconds() + " s, longer while the hub's JIT is busy (at most "
                + cfg.warmupMax().toSeconds() + " s)");
        Duration round = cfg.warmup();
        Duration done = Duration.ZERO;
        double jitShare;
        while (true) {
            long jitBefore = gauges.compilationMillis();
            IntakeLoad.Phase p = load.fullSpeed("warm-up", intake, API_KEY, "w-" + run + "-" + done.toSeconds() + "-", round, true);
            long jitAfter = gauges.compilationMillis();
            allAccepted.addAll(p.acceptedIds());
            done = done.plus(round);
            jitShare = jitBefore < 0 || jitAfter < 0 ? 0 : (jitAfter - jitBefore) / (double) round.toMillis();
            HubBench.log(String.format("%s warm-up: %d s so far; the last %d s: %d accepted (%.0f/s; %s), JIT busy %.0f %% of it", name,
                    done.toSeconds(), round.toSeconds(), p.accepted(), p.acceptedPerSecond(), refusals(p), 100 * jitShare));
            if (jitShare <= cfg.warmupJitShare() || done.plus(cfg.warmupRound()).compareTo(cfg.warmupMax()) > 0) {
                break;
            }
            round = cfg.warmupRound();
        }
        long t = System.nanoTime();
        long missing = caseSystem.awaitAll(allAccepted, cfg.drainMax());
        HubBench.log(String.format("%s warm-up: %d s, drained in %.1f s, %d missing", name, done.toSeconds(), (System.nanoTime() - t) / 1e9,
                missing));
        return new WarmUp(done, jitShare);
    }

    /** As fast as the hub accepts for {@code bench.fullSpeedSeconds}, then until every ticket of it has arrived (or the drain limit). */
    FullSpeed fullSpeed(String phase) throws Exception {
        HubGauges.Cpu before = gauges.cpu();
        long jitBefore = gauges.compilationMillis();
        IntakeLoad.Phase p = load.fullSpeed(phase, intake, API_KEY, "f-" + run + "-" + phase.replace(' ', '-') + "-", cfg.fullSpeed(), true);
        long jitAfter = gauges.compilationMillis();
        allAccepted.addAll(p.acceptedIds());
        long missing = caseSystem.awaitAll(p.acceptedIds(), cfg.drainMax());
        long last = p.acceptedIds().stream().map(caseSystem::arrival).filter(a -> a != null)
                .mapToLong(CaseSystemStandIn.Arrival::nanos).max().orElse(p.endNanos());
        double[] cores = gauges.cpu().coresSince(before);
        double endToEnd = (p.accepted() - missing) / ((last - p.startNanos()) / 1e9);
        long duringLoad = p.acceptedIds().stream().map(caseSystem::arrival)
                .filter(a -> a != null && a.nanos() <= p.endNanos()).count();
        double arrivingWhileLoaded = duringLoad / ((p.endNanos() - p.startNanos()) / 1e9);
        double jitSeconds = jitBefore >= 0 && jitAfter >= 0 ? (jitAfter - jitBefore) / 1e3 : Double.NaN;
        return new FullSpeed(p, missing, last, endToEnd, arrivingWhileLoaded, cores, jitSeconds);
    }

    /** Accepted items that never reached the case system, after waiting at most {@code max} for them. */
    long lost(Duration max) throws InterruptedException {
        return caseSystem.awaitAll(allAccepted, max);
    }

    static String refusals(IntakeLoad.Phase p) {
        return p.refused() + " refused, " + p.failed() + " failed, " + p.redeliveries() + " answered as re-deliveries";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        gauges.close();
        try {
            jvm.close();
        } finally {
            caseSystem.close();
        }
    }
}
