package city.hotline.hub.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Candidates among reports the index tables cannot give yet (the batch's own earlier items, and entries
 * stored while the batch waited for the index lock), found the way the index look-up finds them
 * ({@link DedupIndex#candidates}): reports sharing the fingerprint, an LSH bucket or a key (requester,
 * specific place), weighted 1000, 10 and 3 per shared one, reading only as many of the last added per
 * bucket or key as the {@link LookupBounds} allow and keeping the best {@code candidates} of them. (The
 * look-up takes the newest by the reports' own times; here the order added, which is id order: close
 * enough for the few reports stored meanwhile.)
 * So the decision checks as many of them as the look-up would give, even when a popular place or
 * requester is shared by every report of a burst.
 *
 * @param <T> what the caller finds a report by (an item's position in its batch, an index entry)
 */
final class PendingCandidates<T> {

    private static final int FINGERPRINT = 1000;
    private static final int BUCKET = 10;
    private static final int KEY = 3;

    private record Added<T>(int seq, T item) {
    }

    private final LookupBounds bounds;
    private final Map<Object, List<Added<T>>> byKey = new HashMap<>();
    private int seq;

    PendingCandidates(LookupBounds bounds) {
        this.bounds = bounds;
    }

    void add(T item, Report r, long[] buckets) {
        Added<T> a = new Added<>(seq++, item);
        matchKeys(r, buckets).forEach((k, w) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(a));
    }

    /** The best candidates for this report, best first (the newest first among equals). */
    List<T> best(Report r, long[] buckets) {
        Map<Added<T>, Integer> weight = new HashMap<>();
        matchKeys(r, buckets).forEach((k, w) -> {
            List<Added<T>> sharing = byKey.get(k);
            if (sharing != null) {
                int rows = k instanceof String key ? bounds.rowsFor(key) : bounds.rowsPerKey();
                for (int i = sharing.size() - 1; i >= Math.max(0, sharing.size() - rows); i--) {
                    weight.merge(sharing.get(i), w, Integer::sum);
                }
            }
        });
        return weight.entrySet().stream()
                .sorted(Map.Entry.<Added<T>, Integer>comparingByValue().reversed()
                        .thenComparing(e -> -e.getKey().seq()))
                .limit(bounds.candidates()).map(e -> e.getKey().item()).toList();
    }

    /**
     * What a report is found by, with its weight: buckets as Longs, the fingerprint (64 hex digits) and the
     * keys ("phone:", "user:", "place:") as Strings, which never equal one another.
     */
    private static Map<Object, Integer> matchKeys(Report r, long[] buckets) {
        Map<Object, Integer> keys = new HashMap<>();
        keys.put(r.fingerprint(), FINGERPRINT);
        for (long b : buckets) {
            keys.put(b, BUCKET);
        }
        for (String k : r.keys()) {
            keys.put(k, KEY);
        }
        return keys;
    }
}
