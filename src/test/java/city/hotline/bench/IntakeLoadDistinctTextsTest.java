package city.hotline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import city.hotline.hub.dedup.DedupProperties;
import city.hotline.hub.dedup.MergeDecision;
import city.hotline.hub.dedup.Report;
import city.hotline.hub.dedup.TextNormaliser;
import city.hotline.hub.support.BoardFixtures;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The load driver's distinct-texts mode (merging on, docs/dedup.md): every item's text is its own, and
 * the merge decision keeps apart even the items most alike (the same first half, the same estate).
 */
class IntakeLoadDistinctTextsTest {

    private final IntakeLoad load = new IntakeLoad(1, IntakeLoad.Texts.HALVES);
    private final int posts = BoardFixtures.dataSet().size();
    private final MergeDecision decision = new MergeDecision(DedupProperties.defaults());

    @Test
    void everyItemHasATextOfItsOwnAndTheMostAlikeNeverMerge() {
        Set<String> texts = new HashSet<>();
        for (long n = 0; n < 20_000; n++) {
            assertThat(texts.add(content(n))).as("item %d's text is new", n).isTrue();
        }
        for (long n = 0; n < 300; n++) {
            // the same first half (same post), another second half; the same estate name; the next item
            for (long other : new long[] {n + posts, n + 2L * posts, n + 260, n + 1}) {
                MergeDecision.Verdict v = decision.decide(report(other), report(n));
                assertThat(v.merge()).as("items %d and %d: %s", n, other, v).isFalse();
            }
        }
    }

    @Test
    void everyPhaseCountingItsItemsFromZeroStillGetsNewTexts() {
        // the driver's phases (warm-up, full speed, fixed rate, backlog) each number their items from 0
        Set<String> texts = new HashSet<>();
        for (String phase : new String[] {"w-", "f-", "r-", "b-"}) {
            for (long n = 0; n < 100; n++) {
                assertThat(texts.add(Json.read(load.body(phase + n, n)).get("content").asText())).as("%s%d", phase, n).isTrue();
            }
        }
    }

    @Test
    void withoutTheModeTheDriverCyclesThroughThePosts() {
        IntakeLoad cycling = new IntakeLoad(1);
        assertThat(Json.read(cycling.body("x", 0)).get("content").asText())
                .isEqualTo(Json.read(cycling.body("y", posts)).get("content").asText());
    }

    @Test
    void postsAreSentAsWrittenInTheSixDaysBeforeTheRunSoTheRetentionJobKeepsTheIndex() {
        Instant now = Instant.now();
        Set<Instant> times = new HashSet<>();
        IntakeLoad cycling = new IntakeLoad(1);
        for (long n = 0; n < posts; n += 7) {
            times.add(Instant.parse(Json.read(cycling.body("x", n)).get("submittedAt").asText()));
            times.add(Instant.parse(Json.read(load.distinctBody("y", n)).get("submittedAt").asText()));
        }
        assertThat(times).allSatisfy(t -> assertThat(t).isBetween(now.minus(java.time.Duration.ofDays(6)).minusSeconds(60), now.plusSeconds(60)));
        assertThat(times).as("spread over the six days as over the data set's months").hasSizeGreaterThan(300);
        assertThat(IntakeLoad.recent(Instant.parse("2019-01-01T00:00:00Z"), Instant.parse("2019-01-01T00:00:00Z"),
                Instant.parse("2019-01-13T00:00:00Z"), now)).isEqualTo(now.minus(java.time.Duration.ofDays(6)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    private String content(long n) {
        JsonNode body = Json.read(load.distinctBody("item-" + n, n));
        assertThat(body.get("externalId").asText()).isEqualTo("item-" + n);
        return body.get("content").asText();
    }

    private Report report(long n) {
        JsonNode body = Json.read(load.distinctBody("item-" + n, n));
        String title = body.path("title").asText("");
        return new Report(TextNormaliser.withBreaks(body.get("content").asText()), TextNormaliser.withBreaks(title),
                TextNormaliser.normalise(title), null, Instant.parse("2026-11-20T00:00:00Z"), Set.of());
    }
}
