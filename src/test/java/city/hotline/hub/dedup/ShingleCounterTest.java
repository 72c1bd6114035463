package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import city.hotline.hub.support.BoardFixtures;
import org.junit.jupiter.api.Test;

/** The counted similarity is exactly the similarity of the two sorted sets, for every kind of text. */
class ShingleCounterTest {

    private static final Instant AT = Instant.parse("2026-11-20T00:00:00Z");

    @Test
    void countingACandidatesTextGivesTheSameSimilarityAsMergingTheTwoSortedSets() {
        List<String> texts = new ArrayList<>();
        BoardFixtures.postsWithReplies().forEach(p -> texts.add(p.body()));
        Random r = new Random(11);
        String han = "东西南北路灯小区";
        for (int i = 0; i < 60; i++) {
            // short alphabets repeat 3-grams many times; lengths 0 to 600 cross the tables' sizes
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(i < 20 ? 6 : 600);
            for (int k = 0; k < n; k++) {
                sb.append(han.charAt(r.nextInt(han.length())));
            }
            texts.add(sb.toString());
        }
        // a letter long enough that its table is dropped again for the short texts after it
        StringBuilder letter = new StringBuilder();
        while (letter.length() < 50_000) {
            letter.append(Integer.toString(r.nextInt(), 36)).append(han.charAt(r.nextInt(han.length())));
        }
        texts.add(letter.toString());
        texts.add("");
        texts.add("路");
        texts.add("路灯");
        texts.add(texts.get(0) + texts.get(1));
        int compared = 0;
        for (String a : texts) {
            // one report against every candidate, as a worker decides it: its table is built once
            Report mine = report(a);
            for (String b : texts) {
                double sorted = MinHash.jaccard(MinHash.shingles(mine.normText()), MinHash.shingles(report(b).normText()));
                // a fresh candidate each time: its set is never built, so the counter has to count
                assertThat(ShingleCounter.jaccard(mine, report(b))).as("%s / %s", a, b).isEqualTo(sorted);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(4000);
    }

    @Test
    void aCandidateWhoseSetIsBuiltIsMergedAndTheOwnersTableFollowsTheReport() {
        Report first = report("榕荫小区3栋楼下的垃圾站每天早上五点开始清运噪音很大");
        Report second = report("榕荫小区3栋楼下的垃圾站每天早上六点开始清运气味难闻");
        Report candidate = report("榕荫小区3栋楼下的垃圾站每天早上五点开始清运噪音很大请处理");
        double counted = ShingleCounter.jaccard(first, candidate);
        double countedForTheSecond = ShingleCounter.jaccard(second, candidate);
        candidate.shingles();

        assertThat(ShingleCounter.jaccard(first, candidate)).isEqualTo(counted)
                .isEqualTo(MinHash.jaccard(first.shingles(), candidate.shingles())).isGreaterThan(0.7);
        assertThat(countedForTheSecond).isEqualTo(MinHash.jaccard(second.shingles(), candidate.shingles())).isLessThan(counted);
    }

    private static Report report(String text) {
        return new Report(TextNormaliser.withBreaks(text), "", null, AT, Set.of());
    }
}
