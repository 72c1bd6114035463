package city.hotline.hub.dedup;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * MinHash signatures and LSH buckets over character 3-grams of a normalised text (docs/dedup.md says
 * why MinHash and not SimHash). {@value #HASHES} minimum hashes in {@value #BANDS} bands of
 * {@value #ROWS}: two texts with Jaccard similarity s share at least one bucket with probability
 * 1-(1-s^4)^16 (0.64 at 0.5, 0.89 at 0.6, 0.98 at 0.7). The constants are part of the stored index:
 * changing them needs a rebuild of dedup_band.
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

    /** The distinct 3-grams of a normalised text; a text shorter than 3 is its own single shingle. */
    public static Set<String> shingles(String normalised) {
        Set<String> out = new HashSet<>();
        if (normalised.length() < SHINGLE) {
            if (!normalised.isEmpty()) {
                out.add(normalised);
            }
            return out;
        }
        for (int i = 0; i + SHINGLE <= normalised.length(); i++) {
            out.add(normalised.substring(i, i + SHINGLE));
        }
        return out;
    }

    /** Exact Jaccard similarity of two shingle sets. */
    public static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1.0;
        }
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        int common = 0;
        for (String s : small) {
            if (large.contains(s)) {
                common++;
            }
        }
        return (double) common / (a.size() + b.size() - common);
    }

    public static long[] signature(Set<String> shingles) {
        long[] sig = new long[HASHES];
        Arrays.fill(sig, Long.MAX_VALUE);
        for (String s : shingles) {
            long h = hash64(s);
            for (int i = 0; i < HASHES; i++) {
                long v = mix(h ^ SEEDS[i]);
                if (v < sig[i]) {
                    sig[i] = v;
                }
            }
        }
        return sig;
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

    /** 64-bit FNV-1a over the UTF-16 units, then mixed: stable, unlike String.hashCode's 32 bits. */
    static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
