package city.hotline.hub.dedup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a new report is the same problem as a stored one. In order:
 * <ol>
 *   <li>reported further apart than {@code window} (by the reports' own times): separate;</li>
 *   <li>each is about a place of the same kind the other never mentions: separate, whatever the wording
 *       (a wrong merge hides a citizen's problem, so the place rule is never outweighed);</li>
 *   <li>the same normalised text: merge, if the text is long enough to be specific or the two share a
 *       requester or a named place;</li>
 *   <li>similar text (exact Jaccard of character 3-grams) of at least {@code near-jaccard}: merge;</li>
 *   <li>about the same specific place (小区, road, school, ...) with at least {@code place-jaccard}: merge
 *       (several citizens, or one citizen in other words, about one estate's problem);</li>
 *   <li>the same requester naming the same specific place with at least {@code same-requester-jaccard}: merge;</li>
 *   <li>the same requester under nearly the same title ({@code title-jaccard}, character bigrams): merge, whatever
 *       the texts (a citizen re-posting rewrites the letter and keeps the heading);</li>
 *   <li>otherwise separate.</li>
 * </ol>
 * The score is the similarity (1.0 for the same text); the reasons say which rules decided.
 */
public final class MergeDecision {

    public record Verdict(boolean merge, double score, List<String> reasons) {
        static Verdict separate(double score, String... reasons) {
            return new Verdict(false, score, List.of(reasons));
        }
    }

    /** From here on two texts count as the same wording with some words changed. */
    static final double SAME_WORDING = 0.8;

    private final DedupProperties props;

    public MergeDecision(DedupProperties props) {
        this.props = props;
    }

    /** Separate because no rule could merge texts this far apart, scored by their similarity. */
    private static Verdict tooDifferent(double j, String hoursApart) {
        double rounded = Math.round(j * 1000) / 1000.0;
        return Verdict.separate(rounded, "text similarity " + rounded, hoursApart);
    }

    public Verdict decide(Report incoming, Report stored) {
        Duration apart = Duration.between(stored.reportedAt(), incoming.reportedAt()).abs();
        String hoursApart = "reported " + apart.toHours() + " h apart";
        if (apart.compareTo(props.window()) > 0) {
            return Verdict.separate(0, hoursApart + ", outside the window of " + props.window().toDays() + " d");
        }
        boolean sameText = incoming.fingerprint().equals(stored.fingerprint());
        double j = sameText ? 1.0 : ShingleCounter.jaccard(incoming, stored);
        boolean sameRequester = !Collections.disjoint(incoming.identities(), stored.identities());
        double titleJ = incoming.title().length() >= props.minTitleChars() && stored.title().length() >= props.minTitleChars()
                ? MinHash.jaccard(incoming.titleBigrams(), stored.titleBigrams()) : 0;
        boolean sameRequesterSameTitle = sameRequester && titleJ >= props.titleJaccard();
        // nearly the same wording: every place it names counts, since a changed name is then the point;
        // otherwise only the places each report is about (title, start), not those a long letter mentions in passing
        if (!sameText && !sameRequesterSameTitle && j < Math.min(props.sameRequesterJaccard(), Math.min(props.placeJaccard(), props.nearJaccard()))) {
            // too different for any rule: no need to look for places
            return tooDifferent(j, hoursApart);
        }
        boolean sameSpecificPlace = false;
        for (Places.Place p : incoming.primaryPlaces()) {
            sameSpecificPlace |= p.kind().specific() && stored.allText().contains(p.core());
        }
        for (Places.Place p : stored.primaryPlaces()) {
            sameSpecificPlace |= p.kind().specific() && incoming.allText().contains(p.core());
        }
        boolean ruleCanMerge = sameText || sameRequesterSameTitle || j >= props.nearJaccard()
                || sameSpecificPlace && (j >= props.placeJaccard() || sameRequester && j >= props.sameRequesterJaccard());
        if (!ruleCanMerge) {
            // no rule merges these whatever their places: no need for the conflict check nor for every place named
            return tooDifferent(j, hoursApart);
        }
        boolean sameWording = j >= SAME_WORDING;
        Optional<String> conflict = Places.conflict(sameWording ? incoming.places() : incoming.primaryPlaces(), incoming.allText(),
                sameWording ? stored.places() : stored.primaryPlaces(), stored.allText());
        if (conflict.isPresent()) {
            return Verdict.separate(0, "different place: " + conflict.get());
        }
        Set<String> shared = new LinkedHashSet<>();
        for (Places.Place p : incoming.places()) {
            if (stored.allText().contains(p.core())) {
                shared.add(p.core());
            }
        }
        List<String> reasons = new ArrayList<>();
        if (sameRequester) {
            reasons.add("same requester");
        }
        if (!shared.isEmpty()) {
            reasons.add("same place: " + String.join(", ", shared.stream().limit(3).toList()));
        }
        reasons.add(hoursApart);
        if (sameText) {
            reasons.add(0, "same text");
            boolean specific = incoming.normText().length() >= props.minFingerprintChars();
            return new Verdict(specific || sameRequester || !shared.isEmpty(), 1.0, reasons);
        }
        double score = Math.round(j * 1000) / 1000.0;
        reasons.add(0, "text similarity " + score);
        if (sameRequesterSameTitle) {
            reasons.add(1, "title similarity " + Math.round(titleJ * 1000) / 1000.0);
        }
        boolean merge = sameRequesterSameTitle || j >= props.nearJaccard()
                || sameSpecificPlace && j >= props.placeJaccard()
                || sameRequester && sameSpecificPlace && j >= props.sameRequesterJaccard();
        return new Verdict(merge, score, reasons);
    }
}
