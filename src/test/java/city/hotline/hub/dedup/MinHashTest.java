package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The sketch stored with each index entry, and the agreement the look-up asks of a candidate's. */
class MinHashTest {

    private static final String LETTER = "榕荫小区3栋楼下的垃圾站每天早上五点开始清运，噪音很大，垃圾车漏出的污水流满路面，气味难闻，多次向物业反映无果，请相关部门督促整改。";

    @Test
    void aSketchAgreesWithItselfEverywhereAndWithAReworkedTextAboutAsOftenAsTheTextsAreAlike() {
        Report a = report(LETTER);
        Report b = report(LETTER.substring(0, 40) + "请尽快处理，已经反映了三次。");
        assertThat(a.sketch()).hasSize(2 * MinHash.HASHES);
        assertThat(MinHash.agreement(a.sketch(), a.sketch())).isEqualTo(MinHash.HASHES);
        double j = MinHash.jaccard(a.shingles(), b.shingles());
        // 64 positions: the estimate's standard deviation at j ~ 0.5 is about 0.06
        assertThat(MinHash.agreement(a.sketch(), b.sketch()) / (double) MinHash.HASHES).isCloseTo(j, within(0.2));
        assertThat(MinHash.agreement(a.sketch(), report("完全无关的另一段文字，讲的是公交车站牌的位置问题。").sketch())).isLessThan(5);
    }

    @Test
    void theLeastAgreementPassesOverACandidateAtTheGivenSimilarityAtMostThatOften() {
        int k = MinHash.leastAgreement(0.25, 1e-4);
        assertThat(lowerTail(0.25, k)).isLessThanOrEqualTo(1e-4);
        assertThat(lowerTail(0.25, k + 1)).isGreaterThan(1e-4);
        assertThat(k).isBetween(3, 8);
        assertThat(MinHash.leastAgreement(0.6, 1e-4)).isGreaterThan(k);
    }

    /** P(Binomial(64, s) < k), summed term by term from the binomial coefficients. */
    private static double lowerTail(double s, int k) {
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double c = 1;
            for (int t = 0; t < i; t++) {
                c = c * (MinHash.HASHES - t) / (t + 1);
            }
            sum += c * Math.pow(s, i) * Math.pow(1 - s, MinHash.HASHES - i);
        }
        return sum;
    }

    private static Report report(String text) {
        return new Report(TextNormaliser.withBreaks(text), "", null, java.time.Instant.parse("2026-11-20T00:00:00Z"), java.util.Set.of());
    }
}
