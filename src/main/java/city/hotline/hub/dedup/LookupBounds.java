package city.hotline.hub.dedup;

/**
 * What one look-up may read (docs/dedup.md "The candidate index"): the newest {@code rowsPerKey} index rows
 * inside the window per LSH bucket, per requester key and for the fingerprint, the newest {@code rowsPerPlace}
 * per place key ("place:锦绣小区"), and the best {@code candidates} of what that finds. A place key is the
 * least selective thing a report is found by (a busy road or 小区 is named by dozens of reports a week, none
 * sharing its wording), so it gets the tighter bound.
 */
public record LookupBounds(int candidates, int rowsPerKey, int rowsPerPlace) {

    public LookupBounds {
        if (candidates < 1 || rowsPerKey < 1 || rowsPerPlace < 1) {
            throw new IllegalArgumentException("look-up bounds must be at least 1: max-candidates " + candidates
                    + ", rows-per-key " + rowsPerKey + ", rows-per-place " + rowsPerPlace);
        }
    }

    /** The index rows read for this key (a requester's or a place's). */
    public int rowsFor(String key) {
        return Report.isPlaceKey(key) ? rowsPerPlace : rowsPerKey;
    }
}
