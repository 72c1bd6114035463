package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of merging on the labelled pairs of src/test/resources/dedup/eval-pairs.csv
 * (docs/dedup.md, "Quality"): posts of the public message-board data set repeated by the same user,
 * the same post in several files under other ids and users, near pairs checked by hand, and the same
 * wording about a different place. For each pair the second report arrives after the first is stored:
 * it must be found by the index (same fingerprint, a shared LSH bucket or the same requester or specific place. and
 * accepted by the merge decision. The board's user id stands for the requester's identity.
 *
 * <p>Run: {@code mvn -B test -Dtest=DedupEvaluationTest} (prints the figures and every wrong decision).
 */
class DedupEvaluationTest {

    private static final DateTimeFormatter BOARD_TIME = DateTimeFormatter.ofPattern("yyyy/M/d H:mm[:ss]");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    record Pair(int id, boolean duplicate, String kind, Report a, Report b, String titleA, String titleB) {
    }

    @Test
    void mergingOnTheLabelledBoardPairsMeetsThePrecisionAndRecallTargets() throws IOException {
        List<Pair> pairs = read();
        MergeDecision decision = new MergeDecision(DedupProperties.defaults());
        int tp = 0, fp = 0, fn = 0, tn = 0;
        Map<String, int[]> byKind = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Pair p : pairs) {
            boolean candidate = candidate(p.a(), p.b());
            MergeDecision.Verdict v = decision.decide(p.b(), p.a());
            boolean merged = candidate && v.merge();
            int[] k = byKind.computeIfAbsent(p.kind().replaceAll(" \\(.*", ""), x -> new int[2]);
            k[0]++;
            if (merged == p.duplicate()) {
                k[1]++;
            } else {
                wrong.add(String.format("pair %d (%s, %s): %s%s | %s | %s", p.id(), p.duplicate() ? "duplicate, not merged" : "separate, merged",
                        p.kind(), candidate ? "" : "not a candidate; ", v.reasons(), p.titleA(), p.titleB()));
            }
            if (merged && p.duplicate()) {
                tp++;
            } else if (merged) {
                fp++;
            } else if (p.duplicate()) {
                fn++;
            } else {
                tn++;
            }
        }
        double precision = tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
        System.out.printf("%nDedup evaluation: %d labelled pairs (%d duplicates, %d separate)%n", pairs.size(), tp + fn, fp + tn);
        System.out.printf("  merged correctly %d, wrongly merged %d, missed %d, kept apart correctly %d%n", tp, fp, fn, tn);
        System.out.printf("  precision %.4f (target >= 0.99), recall %.4f (target >= 0.95)%n", precision, recall);
        byKind.forEach((kind, n) -> System.out.printf("  %-32s %3d pairs, %3d decided right%n", kind, n[0], n[1]));
        wrong.forEach(w -> System.out.println("  wrong: " + w));
        assertThat(precision).as("precision of merging").isGreaterThanOrEqualTo(0.99);
        // the issue's targets, both reached (docs/dedup.md, "Quality": 0.9918 and 0.9528, what is still missed and why)
        assertThat(recall).as("recall of merging").isGreaterThanOrEqualTo(0.95);
    }

    /**
     * What the hub's look-up gives the decision (NearDuplicates): what DedupIndex finds (the same fingerprint,
     * a shared LSH bucket, or a shared key: requester, specific place) that is also worth checking by its
     * sketch (DedupIndex.worthChecking, at the agreement NearDuplicates asks with the default settings).
     */
    static boolean candidate(Report stored, Report incoming) {
        return found(stored, incoming) && DedupIndex.worthChecking(incoming, stored.fingerprint(), stored.identities(), stored.sketch(),
                NearDuplicates.minAgreement(DedupProperties.defaults()));
    }

    private static boolean found(Report stored, Report incoming) {
        if (stored.fingerprint().equals(incoming.fingerprint()) || !java.util.Collections.disjoint(stored.keys(), incoming.keys())) {
            return true;
        }
        Set<Long> buckets = new java.util.HashSet<>();
        Arrays.stream(stored.buckets()).forEach(buckets::add);
        return Arrays.stream(incoming.buckets()).anyMatch(buckets::contains);
    }

    static List<Pair> read() throws IOException {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<Pair> out = new ArrayList<>();
        try (InputStream in = DedupEvaluationTest.class.getResourceAsStream("/dedup/eval-pairs.csv");
             MappingIterator<Map<String, String>> it = mapper.readerFor(Map.class).with(schema).readValues(in)) {
            while (it.hasNext()) {
                Map<String, String> r = it.next();
                out.add(new Pair(Integer.parseInt(r.get("pair")), "merge".equals(r.get("label")), r.get("kind"),
                        report(r, "a_"), report(r, "b_"), r.get("a_title"), r.get("b_title")));
            }
        }
        return out;
    }

    static Report report(Map<String, String> r, String side) {
        String norm = TextNormaliser.withBreaks(r.get(side + "content"));
        Instant at = LocalDateTime.parse(r.get(side + "time").trim().replace('-', '/'), BOARD_TIME).atZone(SHANGHAI).toInstant();
        return new Report(norm, TextNormaliser.withBreaks(r.get(side + "title")), TextNormaliser.normalise(r.get(side + "title")), null, at, Set.of("user:board:" + r.get(side + "user")));
    }
}
