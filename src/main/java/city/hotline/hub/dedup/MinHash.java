package city.hotline.hub.dedup;

import java.util.Arrays;

/**
 * MinHash signatures and LSH buckets over character 3-grams of a normalised text (docs/dedup.md says
 * why MinHash and not SimHash). One hash per 3-gram ("one permutation hashing", Li, Owen and Zhang,
 * NIPS 2012): its top bits choose one of {@value #HASHES} bins and each bin keeps its least value, so a
 * text costs one hash per 3-gram instead of one per 3-gram and position (that was 14 % of the inbox
 * workers' time with merging on). Two texts agree in a bin with probability their Jaccard similarity s,
 * as with {@value #HASHES} independent hashes. The first {@value #BANDS} x {@value #ROWS} positions form
 * the LSH bands: two texts share at least one bucket with probability 1-(1-s^3)^10 (0.74 at 0.5, 0.91 at
 * 0.6, 0.985 at 0.7), about what 16 bands of 4 gave above near-jaccard (0.6) with 10 bucket rows per report
 * instead of 16. The constants are part of the stored index: changing them needs its buckets and sketches
 * worked out again (V125 does it from the stored texts).
 *
 * <p>Written by hand rather than taken from a library: it is a few dozen lines, and the buckets must stay
 * bit-for-bit stable across releases because they are stored; a library upgrade could change them.
 * The mixer is SplitMix64's finaliser (public domain).
 */
public final class MinHash {

    public static final int SHINGLE = 3;
    public static final int HASHES = 64;
    public static final int BANDS = 10;
    public static final int ROWS = 3;
    /**
     * Below this many characters a text leaves most bins empty, filled from the few others ({@link #densify}),
     * so its agreements vary more than {@link #leastAgreement} assumes: at 20 characters a candidate at 0.25
     * is passed over about once in 7,000, not 10,000. Such reports have every candidate checked exactly
     * (DedupIndex.worthChecking); from 64 characters on, the rate stays within the bound (MinHashTest).
     */
    public static final int SKETCH_MIN_CHARS = HASHES;
    /** Bits of a 3-gram's hash that choose its bin (2^6 = {@value #HASHES} bins); the other 58 are its value. */
    private static final int VALUE_BITS = 58;
    private static final long VALUE_MASK = (1L << VALUE_BITS) - 1;
    private static final long EMPTY = Long.MAX_VALUE;

    /** Per bin, the seed of the sequence of bins an empty one takes its value from ({@link #densify}). */
    private static final long[] SEEDS = new long[HASHES];

    static {
        long s = 0x12345_6789ABCDEFL;
        for (int i = 0; i < HASHES; i++) {
            s += 0x9E3779B97F4A7C15L;
            SEEDS[i] = mix(s);
        }
    }

    private MinHash() {
    }

    /**
     * The distinct 3-grams of a normalised text, each packed into a long (three UTF-16 units of 16
     * bits), sorted: a set without objects, compared by a merge. A text shorter than 3 is its own shingle.
     */
    public static long[] shingles(String normalised) {
        int n = normalised.length();
        if (n < SHINGLE) {
            long only = 0;
            for (int i = 0; i < n; i++) {
                only = only << 16 | normalised.charAt(i);
            }
            return n == 0 ? new long[0] : new long[] {only | 1L << 62};
        }
        long[] out = new long[n - SHINGLE + 1];
        for (int i = 0; i + SHINGLE <= n; i++) {
            out[i] = (long) normalised.charAt(i) << 32 | (long) normalised.charAt(i + 1) << 16 | normalised.charAt(i + 2);
        }
        Arrays.sort(out);
        int distinct = 0;
        for (int i = 0; i < out.length; i++) {
            if (i == 0 || out[i] != out[i - 1]) {
                out[distinct++] = out[i];
            }
        }
        return Arrays.copyOf(out, distinct);
    }

    /** Exact Jaccard similarity of two shingle sets (sorted, distinct). */
    public static double jaccard(long[] a, long[] b) {
        if (a.length == 0 && b.length == 0) {
            return 1.0;
        }
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return (double) common / (a.length + b.length - common);
    }

    /** The {@value #HASHES} bins' least values over a set of packed 3-grams ({@link #shingles}); empty bins filled by {@link #densify}. */
    public static long[] signature(long[] shingles) {
        long[] sig = empty();
        for (long s : shingles) {
            add(sig, s);
        }
        densify(sig);
        return sig;
    }

    /** {@link #signature(long[])} of a normalised text's 3-grams, read from the text: no set is built (a repeated 3-gram changes no minimum). */
    public static long[] signature(String normalised) {
        long[] sig = empty();
        int n = normalised.length();
        if (n > 0 && n < SHINGLE) {
            add(sig, shingles(normalised)[0]);
        }
        for (int i = 0; i + SHINGLE <= n; i++) {
            add(sig, (long) normalised.charAt(i) << 32 | (long) normalised.charAt(i + 1) << 16 | normalised.charAt(i + 2));
        }
        densify(sig);
        return sig;
    }

    private static long[] empty() {
        long[] sig = new long[HASHES];
        Arrays.fill(sig, EMPTY);
        return sig;
    }

    /** One hash per 3-gram: its top bits choose the bin, the rest is the value whose minimum the bin keeps. */
    private static void add(long[] sig, long shingle) {
        long h = mix(shingle + 0x9E3779B97F4A7C15L);
        int bin = (int) (h >>> VALUE_BITS);
        long v = h & VALUE_MASK;
        if (v < sig[bin]) {
            sig[bin] = v;
        }
    }

    /**
     * A bin no 3-gram fell into takes the value of the first filled bin in a sequence fixed for that bin
     * ("optimal densification", Shrivastava, ICML 2017): every text probes the same sequence, so two texts
     * agree in a densified bin with the same probability as in a filled one, their similarity.
     */
    private static void densify(long[] sig) {
        long[] filled = sig.clone();
        boolean any = false;
        for (long v : filled) {
            any |= v != EMPTY;
        }
        for (int i = 0; any && i < HASHES; i++) {
            for (long attempt = 0; filled[i] == EMPTY && sig[i] == EMPTY; attempt++) {
                long v = filled[(int) (mix(SEEDS[i] + attempt) >>> VALUE_BITS)];
                if (v != EMPTY) {
                    sig[i] = v;
                }
            }
        }
    }

    /**
     * The signature in {@value #HASHES} x 16 bits, stored with each index entry: the share of positions
     * where two sketches agree estimates the two texts' similarity (two different minima agree in their top
     * 16 bits once in 65,536), so a candidate can be judged unpromising from 128 bytes instead of its text.
     */
    public static byte[] sketch(long[] signature) {
        byte[] out = new byte[HASHES * 2];
        for (int i = 0; i < HASHES; i++) {
            out[2 * i] = (byte) (signature[i] >>> VALUE_BITS - 8);
            out[2 * i + 1] = (byte) (signature[i] >>> VALUE_BITS - 16);
        }
        return out;
    }

    /** In how many of the {@value #HASHES} positions two sketches agree. */
    public static int agreement(byte[] a, byte[] b) {
        int same = 0;
        for (int i = 0; i < a.length && i < b.length; i += 2) {
            if (a[i] == b[i] && a[i + 1] == b[i + 1]) {
                same++;
            }
        }
        return same;
    }

    /**
     * The fewest agreeing positions to ask of a candidate so that one at similarity {@code s} is passed
     * over with probability at most {@code p}: the agreements of two texts at similarity s are binomial
     * ({@value #HASHES} positions, each agreeing with probability s), and this is the largest k whose
     * lower tail P(agreement &lt; k) stays within p.
     */
    public static int leastAgreement(double s, double p) {
        double pmf = Math.pow(1 - s, HASHES);
        double below = 0;
        int k = 0;
        while (k < HASHES && below + pmf <= p) {
            below += pmf;
            pmf = pmf * (HASHES - k) / (k + 1) * s / (1 - s);
            k++;
        }
        return k;
    }

    /** One bucket per band: the band's number and its {@value #ROWS} values (positions b x ROWS onwards) hashed together. */
    public static long[] buckets(long[] signature) {
        long[] out = new long[BANDS];
        for (int b = 0; b < BANDS; b++) {
            long h = mix(b + 1L);
            for (int r = 0; r < ROWS; r++) {
                h = mix(h ^ signature[b * ROWS + r]);
            }
            out[b] = h;
        }
        return out;
    }

    public static long[] buckets(String normalised) {
        return buckets(signature(normalised));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
