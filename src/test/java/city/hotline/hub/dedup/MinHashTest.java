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

    @Test
    void oneHashPer3GramEstimatesTheSimilarityAndFromSketchMinCharsOnPassesOverACandidateAt025NoMoreOftenThanTheBound() {
        int[] longer = passedOver(new java.util.Random(11), MinHash.SKETCH_MIN_CHARS, 4 * MinHash.SKETCH_MIN_CHARS);
        assertThat(longer[1] / 1e6).as("mean share of agreeing positions").isCloseTo(longer[2] / 1e6, within(0.005));
        // the bound is 1e-4: 3 expected in 30,000 at worst, and these pairs sit at 0.25 to 0.35
        assertThat(longer[0]).isLessThanOrEqualTo(3);
        // why the rule: a sparse sketch misses more often than the bound allows
        assertThat(passedOver(new java.util.Random(12), 12, 24)[0]).isGreaterThan(3);
        String text = TextNormaliser.normalise(LETTER);
        assertThat(MinHash.signature(text)).as("from the text or from its set of 3-grams: the same signature")
                .containsExactly(MinHash.signature(MinHash.shingles(text)));
    }

    /**
     * Of 30,000 pairs at similarity 0.25 to 0.35 (a report of {@code from} to {@code to} characters, and a candidate
     * from a quarter to four times as long sharing a run with it), how many agree in fewer positions than the
     * look-up asks; then the mean share of agreeing positions and the mean similarity, in millionths.
     */
    private static int[] passedOver(java.util.Random r, int from, int to) {
        int k = NearDuplicates.minAgreement(DedupProperties.defaults());
        int pairs = 0;
        int passedOver = 0;
        double similarity = 0;
        double agreement = 0;
        while (pairs < 30_000) {
            int incoming = from + r.nextInt(to - from);
            int candidate = incoming / 4 + r.nextInt(4 * incoming);
            int shared = Math.min(Math.min(incoming, candidate), (int) Math.round((incoming + candidate) * 0.3 / 1.3));
            String run = random(r, shared);
            String a = run + random(r, incoming - shared);
            String b = random(r, candidate - shared) + run;
            double j = MinHash.jaccard(MinHash.shingles(a), MinHash.shingles(b));
            if (j < 0.25 || j > 0.35) {
                continue;
            }
            pairs++;
            int agree = MinHash.agreement(MinHash.sketch(MinHash.signature(a)), MinHash.sketch(MinHash.signature(b)));
            similarity += j;
            agreement += agree / (double) MinHash.HASHES;
            if (agree < k) {
                passedOver++;
            }
        }
        return new int[] {passedOver, (int) (agreement / pairs * 1e6), (int) (similarity / pairs * 1e6)};
    }

    private static String random(java.util.Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) (0x4E00 + r.nextInt(3000)));
        }
        return b.toString();
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
