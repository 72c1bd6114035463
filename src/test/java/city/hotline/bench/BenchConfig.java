package city.hotline.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The driver's knobs, all from system properties ({@code -Dbench.name=value}); {@code bench.quick=true}
 * shortens every phase for a smoke run. Defaults are those of the README's full run.
 */
record BenchConfig(boolean quick, Duration ceilingWarmup, Duration ceiling, Duration warmup, Duration warmupRound, Duration warmupMax,
                   double warmupJitShare, Duration fullSpeed,
                   int fixedRate, Duration fixedRateFor, int backlog, Duration backlogMax, Duration drainMax, Duration stall,
                   int concurrency, String hubHeap, Path dir, boolean dedup, IntakeLoad.Texts texts) {

    static BenchConfig fromSystemProperties() {
        boolean quick = Boolean.getBoolean("bench.quick");
        return new BenchConfig(quick,
                seconds("bench.ceilingWarmupSeconds", quick ? 5 : 30),
                seconds("bench.ceilingSeconds", quick ? 5 : 20),
                seconds("bench.warmupSeconds", quick ? 10 : 100),
                seconds("bench.warmupRoundSeconds", quick ? 5 : 20),
                seconds("bench.warmupMaxSeconds", quick ? 10 : 300),
                Double.parseDouble(System.getProperty("bench.warmupJitShare", "0.1")),
                seconds("bench.fullSpeedSeconds", quick ? 10 : 60),
                Integer.getInteger("bench.fixedRate", 200),
                seconds("bench.fixedRateSeconds", quick ? 10 : 60),
                Integer.getInteger("bench.backlog", quick ? 10_000 : 100_000),
                seconds("bench.backlogMaxSeconds", quick ? 600 : 1800),
                seconds("bench.drainMaxSeconds", quick ? 600 : 1200),
                seconds("bench.stallSeconds", 60),
                Integer.getInteger("bench.concurrency", 32),
                System.getProperty("bench.hubHeap", "1g"),
                Path.of(System.getProperty("bench.dir", "target/bench")).toAbsolutePath(),
                // merging on (docs/dedup.md)
                Boolean.getBoolean("bench.dedup"),
                textsFromProperties());
    }

    /**
     * {@code bench.texts}: posts, halves or mixed (IntakeLoad.Texts); by default the posts in turn with merging
     * off and the mixed week with it on. The older {@code bench.distinctTexts=true} means halves.
     */
    private static IntakeLoad.Texts textsFromProperties() {
        String named = System.getProperty("bench.texts");
        if (named != null) {
            return IntakeLoad.Texts.valueOf(named.toUpperCase(java.util.Locale.ROOT));
        }
        if (Boolean.getBoolean("bench.distinctTexts")) {
            return IntakeLoad.Texts.HALVES;
        }
        return Boolean.getBoolean("bench.dedup") ? IntakeLoad.Texts.MIXED : IntakeLoad.Texts.POSTS;
    }

    private static Duration seconds(String name, int dflt) {
        return Duration.ofSeconds(Integer.getInteger(name, dflt));
    }

    String describe() {
        return "quick=" + quick + ", ceilings " + ceilingWarmup.toSeconds() + "+" + ceiling.toSeconds() + " s, warm-up "
                + warmup.toSeconds() + " s (+" + warmupRound.toSeconds() + " s rounds while the JIT works > " + Math.round(100 * warmupJitShare)
                + " %, at most " + warmupMax.toSeconds() + " s), full speed " + fullSpeed.toSeconds() + " s, " + fixedRate + "/s for "
                + fixedRateFor.toSeconds() + " s, backlog " + backlog + " (wait at most " + backlogMax.toSeconds()
                + " s), concurrency " + concurrency + ", hub -Xmx" + hubHeap + ", merging " + (dedup ? "on" : "off")
                + ", texts " + texts.name().toLowerCase(java.util.Locale.ROOT);
    }
}
