package city.hotline.hub.dedup;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.dedup.*}: near-duplicate detection and merging (docs/dedup.md).
 *
 * @param enabled              merge near-duplicates into an existing ticket; off: every new item is its own ticket
 * @param window               reports further apart than this (by their own times) are never merged
 * @param nearJaccard          minimum exact Jaccard similarity (character 3-grams) for reports of unknown or different requesters
 * @param placeJaccard         minimum similarity when both reports are about the same specific place (小区, road, school ...)
 * @param sameRequesterJaccard minimum similarity when both reports come from the same requester and name the same place
 * @param titleJaccard         minimum similarity of the titles (character bigrams) that merges two reports of the same
 *                             requester whatever their texts (a citizen re-posting a complaint rewrites the letter,
 *                             not the heading); titles shorter than {@code minTitleChars} never count
 * @param minTitleChars        shorter titles ("投诉", "咨询问题") say too little to merge on
 * @param minFingerprintChars  the same normalised text merges on its own only from this length (shorter texts
 *                             such as "路灯不亮" also need the same requester or the same named place)
 * @param maxCandidates        candidates checked exactly per report (the ones sharing the most LSH buckets)
 * @param maxOrigins           reports one ticket holds at most (its own and those merged into it); a further near
 *                             duplicate becomes a ticket of its own, related to the full one (docs/dedup.md "A cap on origins")
 * @param retentionMargin      index entries are purged once older (by their own time) than {@code window} plus this, by the
 *                             retention job (store/RetentionPurge); the margin covers reports that arrive late
 * @param rowsPerKey           index rows a look-up reads per LSH bucket and per requester key: the newest inside the
 *                             window; bounds a decision's work whatever the index size (docs/dedup.md "Speed")
 * @param rowsPerPlace         index rows a look-up reads per place key (小区, road, ...): the newest inside the window
 */
@ConfigurationProperties("hub.dedup")
public record DedupProperties(Boolean enabled, Duration window, Double nearJaccard, Double placeJaccard, Double sameRequesterJaccard,
                              Double titleJaccard, Integer minTitleChars, Integer minFingerprintChars, Integer maxCandidates, Integer rowsPerKey,
                              Integer rowsPerPlace, Integer maxOrigins, Duration retentionMargin) {

    public DedupProperties {
        enabled = enabled == null || enabled;
        window = window == null ? Duration.ofDays(7) : window;
        nearJaccard = nearJaccard == null ? 0.6 : nearJaccard;
        placeJaccard = placeJaccard == null ? 0.25 : placeJaccard;
        sameRequesterJaccard = sameRequesterJaccard == null ? 0.2 : sameRequesterJaccard;
        titleJaccard = titleJaccard == null ? 0.5 : titleJaccard;
        minTitleChars = minTitleChars == null ? 8 : minTitleChars;
        minFingerprintChars = minFingerprintChars == null ? 12 : minFingerprintChars;
        maxCandidates = maxCandidates == null ? 20 : maxCandidates;
        rowsPerKey = rowsPerKey == null ? 32 : rowsPerKey;
        rowsPerPlace = rowsPerPlace == null ? 8 : rowsPerPlace;
        maxOrigins = maxOrigins == null ? 50 : maxOrigins;
        retentionMargin = retentionMargin == null ? Duration.ofDays(7) : retentionMargin;
        // a bound below 1 stops the start with its name, not the first look-up under load
        new LookupBounds(maxCandidates, rowsPerKey, rowsPerPlace);
    }

    /** How long an index entry is kept, counted from its report's own time: the window plus the margin. */
    public Duration indexRetention() {
        return window.plus(retentionMargin);
    }

    /** What one look-up may read. */
    public LookupBounds lookupBounds() {
        return new LookupBounds(maxCandidates, rowsPerKey, rowsPerPlace);
    }

    public static DedupProperties defaults() {
        return new DedupProperties(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
