package city.hotline.hub.dedup;

/**
 * Exact Jaccard similarity of a report's 3-grams against a candidate's text, without building the
 * candidate's sorted set ({@link MinHash#shingles}). A decision reads back some twenty candidates per
 * report, most of them never seen by this hub before, and sorting each one's 3-grams was a quarter of
 * the inbox workers' time with merging on. Here the report's own set sits in a hash table, built once
 * per report, and the candidate's 3-grams are counted in one pass through a second table that is
 * emptied by a generation stamp rather than cleared: two table operations per character, no sort, no
 * allocation. The result is the same number as {@link MinHash#jaccard} of the two sorted sets
 * (ShingleCounterTest compares them).
 *
 * <p>One per thread ({@link #jaccard}): each inbox worker decides one report against its candidates at
 * a time, so the report's table is rebuilt only when the worker moves on to the next report.
 */
final class ShingleCounter {

    private static final ThreadLocal<ShingleCounter> PER_THREAD = ThreadLocal.withInitial(ShingleCounter::new);

    /** The report whose 3-grams {@link #mine} holds (held until the next report replaces it). */
    private Report owner;
    /** The owner's distinct 3-grams plus one (0 marks a free slot; a packed 3-gram fits in 48 bits). */
    private long[] mine = new long[0];
    private int mineCount;
    /** The candidate's 3-grams seen so far in this pass: valid where {@link #stamps} holds {@link #pass}. */
    private long[] theirs = new long[0];
    private int[] stamps = new int[0];
    private int pass;

    private ShingleCounter() {
    }

    /** Exact Jaccard similarity of the two reports' 3-gram sets: a merge when both sets are built, else counted. */
    static double jaccard(Report report, Report candidate) {
        long[] built = candidate.shinglesIfBuilt();
        String text = candidate.normText();
        if (built != null || text.length() < MinHash.SHINGLE) {
            return MinHash.jaccard(report.shingles(), built != null ? built : candidate.shingles());
        }
        return PER_THREAD.get().against(report, text);
    }

    private double against(Report report, String text) {
        if (owner != report) {
            load(report.shingles());
            owner = report;
        }
        int grams = text.length() - MinHash.SHINGLE + 1;
        int capacity = tableSize(grams);
        if (theirs.length < capacity || oversized(theirs.length, capacity)) {
            theirs = new long[capacity];
            stamps = new int[capacity];
            pass = 0;
        }
        if (++pass == 0) {
            // after 2^32 passes the stamps would repeat: start from an empty table again
            java.util.Arrays.fill(stamps, 0);
            pass = 1;
        }
        int mask = theirs.length - 1;
        int distinct = 0;
        int common = 0;
        for (int i = 0; i < grams; i++) {
            long g = (long) text.charAt(i) << 32 | (long) text.charAt(i + 1) << 16 | text.charAt(i + 2);
            int slot = slot(g, mask);
            while (stamps[slot] == pass && theirs[slot] != g) {
                slot = (slot + 1) & mask;
            }
            if (stamps[slot] != pass) {
                stamps[slot] = pass;
                theirs[slot] = g;
                distinct++;
                if (mine(g)) {
                    common++;
                }
            }
        }
        return (double) common / (mineCount + distinct - common);
    }

    private void load(long[] sorted) {
        int capacity = tableSize(sorted.length);
        if (mine.length < capacity || oversized(mine.length, capacity)) {
            mine = new long[capacity];
        } else {
            java.util.Arrays.fill(mine, 0);
        }
        int mask = mine.length - 1;
        for (long g : sorted) {
            int slot = slot(g, mask);
            while (mine[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            mine[slot] = g + 1;
        }
        mineCount = sorted.length;
    }

    private boolean mine(long g) {
        int mask = mine.length - 1;
        for (int slot = slot(g, mask); mine[slot] != 0; slot = (slot + 1) & mask) {
            if (mine[slot] == g + 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * A table grown for a long letter (a body may hold 1 MB) is not kept for the short texts after it; up to
     * {@value #KEPT_SLOTS} slots it is, so texts of ordinary lengths reuse one table.
     */
    private static boolean oversized(int length, int capacity) {
        return length > Math.max(4 * capacity, KEPT_SLOTS);
    }

    private static final int KEPT_SLOTS = 1 << 16;

    /** A power of two at least twice {@code n} (at most half full, so probes stay short). */
    private static int tableSize(int n) {
        return Math.max(16, Integer.highestOneBit(Math.max(1, n) * 2 - 1) << 1);
    }

    private static int slot(long g, int mask) {
        return (int) ((g * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
