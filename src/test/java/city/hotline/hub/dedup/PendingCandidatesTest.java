package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The reports of a batch and those stored while it waited for the index lock are found as the look-up finds
 * stored ones, within the same bounds: the newest {@code rows-per-place} naming a place, the newest
 * {@code rows-per-key} of a requester.
 */
class PendingCandidatesTest {

    private static final String HAN = "东西南北新华文明光人民建设解放和平长青松柏桂花梅溪岳麓星沙芙蓉雨花天心开福望金星银盆枫林韶山劳动万丽湘江";
    private static final Instant AT = Instant.parse("2026-11-20T08:00:00Z");
    private static final LookupBounds BOUNDS = new LookupBounds(1000, 32, 8);

    @Test
    void aPlaceSharedByManyGivesOnlyItsNewestRowsPerPlace() {
        PendingCandidates<Integer> pending = new PendingCandidates<>(BOUNDS);
        for (int i = 0; i < 20; i++) {
            Report r = report("榕荫小区" + noise(i), Set.of());
            assertThat(r.keys()).containsExactly("place:榕荫小区");
            pending.add(i, r, r.buckets());
        }
        Report probe = report("榕荫小区" + noise(-1), Set.of());

        assertThat(pending.best(probe, probe.buckets())).containsExactlyElementsOf(IntStream.iterate(19, i -> i - 1).limit(8).boxed().toList());
    }

    @Test
    void aRequesterSharedByManyGivesItsNewestRowsPerKey() {
        PendingCandidates<Integer> pending = new PendingCandidates<>(BOUNDS);
        for (int i = 0; i < 40; i++) {
            Report r = report(noise(i), Set.of("phone:+8613900000002"));
            pending.add(i, r, r.buckets());
        }
        Report probe = report(noise(-1), Set.of("phone:+8613900000002"));

        List<Integer> best = pending.best(probe, probe.buckets());

        assertThat(best).hasSize(32).allMatch(i -> i >= 8);
    }

    private static Report report(String text, Set<String> identities) {
        return new Report(TextNormaliser.withBreaks(text), "", null, AT, identities);
    }

    private static String noise(int seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 80; k++) {
            sb.append(HAN.charAt(r.nextInt(HAN.length())));
        }
        return sb.toString();
    }
}
