package city.hotline.hub.dedup;

import java.util.Arrays;

/**
 * MinHash signatures and LSH buckets over character 3-grams of a normalised text (docs/dedup.md says
 * why MinHash and not SimHash). {@value #HASHES} minimum hashes in {@value #BANDS} bands of
 * {@value #ROWS}: two texts with Jaccard similarity s share at least one bucket with probability
 * 1-(1-s^4)^16 (0.64 at 0.5, 0.89 at 0.6, 0.98 at 0.7). The constants are part of the stored index:
 * changing them needs a rebuild of dedup_band and of the entries' sketches and buckets (V123, V124).
 *
 * <p>Written by hand rather than taken from a library: it is forty lines, and the buckets must stay
 * bit-for-bit stable across releases because they are stored; a library upgrade could change them.
 * The mixer is SplitMix64's finaliser (public domain).
 */
public final class MinHash {

    public static final int SHINGLE = 3;
    public static final int BANDS = 16;
    public static final int ROWS = 4;
    public static final int HASHES = BANDS * ROWS;

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

    public static long[] signature(long[] shingles) {
        long[] sig = new long[HASHES];
        Arrays.fill(sig, Long.MAX_VALUE);
        for (long s : shingles) {
            long h = mix(s + 0x9E3779B97F4A7C15L);
            for (int i = 0; i < HASHES; i++) {
                long v = mix(h ^ SEEDS[i]);
                if (v < sig[i]) {
                    sig[i] = v;
                }
            }
        }
        return sig;
    }

    /**
     * The signature in {@value #HASHES} x 16 bits, stored with each index entry: the share of positions
     * where two sketches agree estimates the two texts' similarity (two different minima agree in their top
     * 16 bits once in 65,536), so a candidate can be judged unpromising from 128 bytes instead of its text.
     */
    public static byte[] sketch(long[] signature) {
        byte[] out = new byte[HASHES * 2];
        for (int i = 0; i < HASHES; i++) {
            out[2 * i] = (byte) (signature[i] >>> 56);
            out[2 * i + 1] = (byte) (signature[i] >>> 48);
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

    /** One bucket per band: the band's number and its {@value #ROWS} values hashed together. */
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
        return buckets(signature(shingles(normalised)));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
