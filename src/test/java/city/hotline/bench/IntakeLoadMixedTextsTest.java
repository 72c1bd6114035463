package city.hotline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import city.hotline.hub.dedup.DedupProperties;
import city.hotline.hub.dedup.MergeDecision;
import city.hotline.hub.dedup.Report;
import city.hotline.hub.dedup.TextNormaliser;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The load driver's mixed texts (the default with merging on, docs/dedup.md): new reports of recombined
 * clauses that almost never merge, and one item in ten a re-post that merges with its original.
 */
class IntakeLoadMixedTextsTest {

    private final IntakeLoad load = new IntakeLoad(1, IntakeLoad.Texts.MIXED);
    private final MergeDecision decision = new MergeDecision(DedupProperties.defaults());

    @Test
    void newReportsHaveTextsOfTheirOwnAndOneInTenIsARePost() {
        Set<String> texts = new HashSet<>();
        int reposts = 0;
        for (long k = 0; k < 30_000; k++) {
            boolean repost = IntakeLoad.repostOf(k) != k;
            reposts += repost ? 1 : 0;
            if (!repost) {
                assertThat(texts.add(load.mixedContent(k))).as("item %d's text is new", k).isTrue();
            }
        }
        assertThat(reposts).as("items 5,009, 5,019 … 29,999").isEqualTo(2_500);
    }

    @Test
    void aRePostMergesWithItsOriginalByTheSameCitizen() {
        for (long k = IntakeLoad.REPOST_GAP + 8; k < IntakeLoad.REPOST_GAP + 3_000; k += IntakeLoad.REPOST_EVERY) {
            long original = IntakeLoad.repostOf(k);
            assertThat(original).isEqualTo(k - IntakeLoad.REPOST_GAP);
            assertThat(IntakeLoad.repostOf(original)).as("a re-post never re-posts a re-post").isEqualTo(original);
            JsonNode repost = body(k);
            JsonNode first = body(original);
            assertThat(repost.get("requester")).isEqualTo(first.get("requester"));
            assertThat(repost.get("submittedAt")).isEqualTo(first.get("submittedAt"));
            MergeDecision.Verdict v = decision.decide(report(first), report(repost));
            assertThat(v.merge()).as("item %d re-posts item %d: %s", k, original, v).isTrue();
        }
    }

    @Test
    void newReportsAlmostNeverMergeWithOneAnother() {
        int pairs = 0;
        int merged = 0;
        for (long k = 0; k < 2_000; k++) {
            for (long other = k + 1; other <= k + 5; other++) {
                if (IntakeLoad.repostOf(k) == k && IntakeLoad.repostOf(other) == other) {
                    pairs++;
                    merged += decision.decide(report(body(k)), report(body(other))).merge() ? 1 : 0;
                }
            }
        }
        assertThat(pairs).isGreaterThan(5_000);
        assertThat(merged).as("merged of %d pairs", pairs).isLessThanOrEqualTo(pairs / 1_000);
    }

    @Test
    void clausesAreCutAfterTheirEndsAndKeepThem() {
        assertThat(IntakeLoad.clauses("尊敬的领导：您好！小区门口堆满垃圾，臭气熏天。请尽快处理？谢谢\n"))
                .containsExactly("尊敬的领导：您好！", "小区门口堆满垃圾，", "臭气熏天。", "请尽快处理？", "谢谢\n");
    }

    private JsonNode body(long k) {
        return Json.read(load.distinctBody("item-" + k, k));
    }

    private static Report report(JsonNode body) {
        String title = body.path("title").asText("");
        return new Report(TextNormaliser.withBreaks(body.get("content").asText()), TextNormaliser.withBreaks(title),
                TextNormaliser.normalise(title), null, Instant.parse("2026-11-20T00:00:00Z"), Set.of());
    }
}
