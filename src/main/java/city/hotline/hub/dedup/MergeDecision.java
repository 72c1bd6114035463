package city.hotline.hub.dedup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Whether a new report is the same problem as a stored one. In order:
 * <ol>
 *   <li>reported further apart than {@code hub.dedup.window} (by the reports' own times): separate;</li>
 *   <li>each names a place of the same kind the other never mentions: separate, whatever the wording
 *       (a wrong merge hides a citizen's problem, so the place rule is never outweighed);</li>
 *   <li>the same normalised text: merge, if the text is long enough to be specific or the two share a
 *       requester or a named place;</li>
 *   <li>similar text (exact Jaccard of 3-grams) of at least {@code near-jaccard}: merge;</li>
 *   <li>the same requester about the same named place with at least {@code same-requester-jaccard}: merge
 *       (a citizen re-posting in other words);</li>
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

    private final DedupProperties props;

    public MergeDecision(DedupProperties props) {
        this.props = props;
    }

    public Verdict decide(Report incoming, Report stored) {
        Duration apart = Duration.between(stored.reportedAt(), incoming.reportedAt()).abs();
        String hoursApart = "reported " + apart.toHours() + " h apart";
        if (apart.compareTo(props.window()) > 0) {
            return Verdict.separate(0, hoursApart + ", outside the window of " + props.window().toDays() + " d");
        }
        Optional<String> conflict = Places.conflict(incoming.places(), incoming.allText(), stored.places(), stored.allText());
        if (conflict.isPresent()) {
            return Verdict.separate(0, "different place: " + conflict.get());
        }
        boolean sameRequester = !Collections.disjoint(incoming.identities(), stored.identities());
        List<String> shared = incoming.places().stream().map(Places.Place::core).filter(stored.allText()::contains).toList();
        List<String> reasons = new ArrayList<>();
        if (sameRequester) {
            reasons.add("same requester");
        }
        if (!shared.isEmpty()) {
            reasons.add("same place: " + String.join(", ", shared.subList(0, Math.min(3, shared.size()))));
        }
        reasons.add(hoursApart);
        if (incoming.fingerprint().equals(stored.fingerprint())) {
            reasons.add(0, "same text");
            boolean specific = incoming.normText().length() >= props.minFingerprintChars();
            return new Verdict(specific || sameRequester || !shared.isEmpty(), 1.0, reasons);
        }
        double j = MinHash.jaccard(incoming.shingles(), stored.shingles());
        double score = Math.round(j * 1000) / 1000.0;
        reasons.add(0, "text similarity " + score);
        if (j >= props.nearJaccard()) {
            return new Verdict(true, score, reasons);
        }
        if (sameRequester && !shared.isEmpty() && j >= props.sameRequesterJaccard()) {
            return new Verdict(true, score, reasons);
        }
        return new Verdict(false, score, reasons);
    }
}
