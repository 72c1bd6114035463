package city.hotline.bench;

import static city.hotline.bench.Report.perSecond;
import static city.hotline.bench.Report.ratio;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What merging costs end to end (issue 11: at most 20 % below merging off), measured in one run:
 * {@code mvn -B -Pbench test-compile exec:java@merging-cost}. Two hubs run side by side, merging on and
 * merging off, each in its own JVM with its own embedded PostgreSQL and Artemis, its own case-system
 * stand-in and its own copy of the load (the same texts in the same order, {@code bench.texts}, mixed by
 * default). Each is warmed up as the README's benchmark warms its hub; then they take turns at full
 * speed ({@code bench.fullSpeedSeconds} each, measured from first send to last arrival like the README's
 * "sustained tickets end to end"), {@code bench.pairs} pairs in the order on off, off on, on off, ... so a
 * machine that speeds up or slows down during the run weighs on both sides alike.
 *
 * <p>Why not two full runs one after the other: on these shared machines, merging off alone moved by
 * 13 % between two runs an hour apart, more than the difference being measured (docs/dedup.md, the ninth
 * look). Here the two sides are a minute apart and share the machine's state. The hub that waits is not
 * stopped: its CPU meanwhile (its PostgreSQL's autovacuum, its pollers) is reported with each round.
 */
public final class MergingCost {

    private static final Duration PROBE = Duration.ofSeconds(3);

    /**
     * One side's full-speed round, with what the idle hub used meanwhile (hub + its PostgreSQL, cores) and
     * the machine's speed just before it ({@link CpuProbe}, MB/s).
     */
    private record Round(int pair, boolean merging, BenchHub.FullSpeed result, double idleCores, double machineSpeed) {
        double cpuMillisPerTicket() {
            double[] c = result.cores();
            return (c[0] + c[1] + c[2]) * 1000 / result.endToEnd();
        }
    }

    private final BenchConfig cfg;
    private final int pairs;
    private final IntakeLoad.Texts texts;
    private final Report report = new Report();

    private MergingCost(BenchConfig cfg, int pairs, IntakeLoad.Texts texts) {
        this.cfg = cfg;
        this.pairs = pairs;
        this.texts = texts;
    }

    public static void main(String[] args) throws Exception {
        // as HubBench: the driver's own libraries would log at DEBUG and that would count against the hubs
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        BenchConfig cfg = BenchConfig.fromSystemProperties();
        int pairs = Integer.getInteger("bench.pairs", 3);
        if (pairs < 1) {
            throw new IllegalArgumentException("bench.pairs must be at least 1, got " + pairs);
        }
        // merging off sees the same texts as merging on: the realistic week unless bench.texts says otherwise
        IntakeLoad.Texts texts = System.getProperty("bench.texts") == null && System.getProperty("bench.distinctTexts") == null
                ? IntakeLoad.Texts.MIXED : cfg.texts();
        HubBench.log("merging cost: " + describe(cfg, pairs, texts));
        new MergingCost(cfg, pairs, texts).run();
    }

    /** The settings this driver reads (BenchConfig's others, the ceilings, fixed rate and backlog, are not run here). */
    private static String describe(BenchConfig cfg, int pairs, IntakeLoad.Texts texts) {
        return String.format("%d pairs of %d s at full speed, texts %s; each hub warmed up %d s (+%d s rounds while its JIT works > %.0f %%, "
                        + "at most %d s); concurrency %d, hub -Xmx%s", pairs, cfg.fullSpeed().toSeconds(),
                texts.name().toLowerCase(java.util.Locale.ROOT), cfg.warmup().toSeconds(), cfg.warmupRound().toSeconds(),
                100 * cfg.warmupJitShare(), cfg.warmupMax().toSeconds(), cfg.concurrency(), cfg.hubHeap());
    }

    private void run() throws Exception {
        Files.createDirectories(cfg.dir());
        double probeBefore = CpuProbe.mbPerSecond(PROBE);
        List<Round> rounds = new ArrayList<>();
        try (BenchHub on = BenchHub.start("merging-on", cfg, true, new IntakeLoad(cfg.concurrency(), texts), BenchHub.freePort(), "");
             BenchHub off = BenchHub.start("merging-off", cfg, false, new IntakeLoad(cfg.concurrency(), texts), BenchHub.freePort(), "")) {
            BenchHub.WarmUp onWarm = on.warmUp();
            BenchHub.WarmUp offWarm = off.warmUp();
            report.note(String.format("warm-up at full speed: merging on %d s (JIT %.0f %% of its last round), off %d s (%.0f %%)",
                    onWarm.length().toSeconds(), 100 * onWarm.lastJitShare(), offWarm.length().toSeconds(), 100 * offWarm.lastJitShare()));
            for (int pair = 1; pair <= pairs; pair++) {
                boolean onFirst = pair % 2 == 1;
                rounds.add(round(pair, onFirst ? on : off, onFirst ? off : on, onFirst));
                rounds.add(round(pair, onFirst ? off : on, onFirst ? on : off, !onFirst));
            }
            double probeAfter = CpuProbe.mbPerSecond(PROBE);
            summarise(rounds);
            report.figure("machine speed: SHA-256 on one core, after the rounds against before the hubs started",
                    String.format("%.0f MB/s", probeAfter), String.format("%.0f MB/s", probeBefore), ratio(probeAfter, probeBefore), "", null);
            integrity(on);
            integrity(off);
        }
        report.note("settings: " + describe(cfg, pairs, texts) + "; " + Runtime.getRuntime().availableProcessors() + " cores");
        String md = report.markdown("hotline-hub merging cost, " + Instant.now());
        Files.writeString(cfg.dir().resolve("merging-cost.md"), md);
        System.out.println();
        System.out.println(md);
        HubBench.log("written to " + cfg.dir().resolve("merging-cost.md"));
    }

    private Round round(int pair, BenchHub loaded, BenchHub idle, boolean merging) throws Exception {
        // the cores' speed moves from minute to minute here: each round says how fast they were as it began
        double speed = CpuProbe.mbPerSecond(PROBE);
        HubBench.log(String.format("pair %d: %s at full speed for %d s (machine speed %.0f MB/s)", pair, loaded.name,
                cfg.fullSpeed().toSeconds(), speed));
        HubGauges.Cpu idleBefore = idle.gauges.cpu();
        BenchHub.FullSpeed f = loaded.fullSpeed("pair " + pair);
        double[] idleCores = idle.gauges.cpu().coresSince(idleBefore);
        Round r = new Round(pair, merging, f, idleCores[0] + idleCores[1], speed);
        double[] c = f.cores();
        HubBench.log(String.format("pair %d, %s: end to end %.0f/s (intake %.0f/s, %d missing), cores %.2f + %.2f + %.2f, idle hub %.2f",
                pair, loaded.name, f.endToEnd(), f.phase().acceptedPerSecond(), f.missing(), c[0], c[1], c[2], r.idleCores()));
        report.figure(String.format("pair %d, merging %s: end to end (%d tickets in %.0f s; intake %s; cores hub + PostgreSQL + driver "
                                + "%.2f + %.2f + %.2f, %.2f ms a ticket; the idle hub meanwhile %.2f; JIT %.1f s; machine speed before it %.0f MB/s; %s)",
                        pair, merging ? "on" : "off", f.phase().accepted(), f.seconds(), perSecond(f.phase().acceptedPerSecond()),
                        c[0], c[1], c[2], r.cpuMillisPerTicket(), r.idleCores(), f.jitSeconds(), r.machineSpeed(), BenchHub.refusals(f.phase())),
                perSecond(f.endToEnd()), "", "", "", null);
        return r;
    }

    /**
     * Both sides over all their rounds (tickets over the seconds they took), the ratio, and each pair's
     * ratio: the spread of those says how far one pair can be trusted.
     */
    private void summarise(List<Round> rounds) {
        double on = overall(rounds, true);
        double off = overall(rounds, false);
        List<String> perPair = new ArrayList<>();
        for (int pair = 1; pair <= pairs; pair++) {
            int p = pair;
            double pairOn = overall(rounds.stream().filter(r -> r.pair() == p).toList(), true);
            double pairOff = overall(rounds.stream().filter(r -> r.pair() == p).toList(), false);
            perPair.add(String.format("%+.0f %%", 100 * (pairOn / pairOff - 1)));
        }
        boolean lost = rounds.stream().anyMatch(r -> r.result().missing() > 0);
        report.figure("merging on against off, end to end over all rounds (each pair: " + String.join(", ", perPair) + ")",
                perSecond(on), "off " + perSecond(off), ratio(on, off), ">= 80 % (at most 20 % lower)", !lost && on >= 0.8 * off);
        report.figure("CPU a ticket, hub + PostgreSQL + driver, merging on against off (mean of the rounds)",
                String.format("%.2f ms", meanCpu(rounds, true)), String.format("off %.2f ms", meanCpu(rounds, false)),
                ratio(meanCpu(rounds, true), meanCpu(rounds, false)), "", null);
    }

    private static double overall(List<Round> rounds, boolean merging) {
        List<Round> side = rounds.stream().filter(r -> r.merging() == merging).toList();
        double tickets = side.stream().mapToDouble(r -> r.result().phase().accepted() - r.result().missing()).sum();
        double seconds = side.stream().mapToDouble(r -> r.result().seconds()).sum();
        return tickets / seconds;
    }

    private static double meanCpu(List<Round> rounds, boolean merging) {
        return rounds.stream().filter(r -> r.merging() == merging).mapToDouble(Round::cpuMillisPerTicket).average().orElse(Double.NaN);
    }

    /** Every accepted item reached its case system, once; nothing quarantined. */
    private void integrity(BenchHub hub) throws Exception {
        long lost = hub.lost(Duration.ofSeconds(30));
        long duplicates = hub.caseSystem.duplicates();
        report.figure(hub.name + ": tickets lost of " + String.format("%,d", hub.allAccepted.size()) + " accepted / duplicates ("
                        + hub.caseSystem.posts + " POSTs, " + hub.caseSystem.updates + " PUT updates, " + hub.caseSystem.mergedArrivals
                        + " items merged; quarantined: " + HubBench.quarantined(hub.jdbcUrl()) + ")",
                lost + " / " + duplicates, "", "", "0 / 0", lost == 0 && duplicates == 0);
    }
}
