package city.hotline.hub.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** A parsed JSONata expression evaluated many times, on several threads, with jsonata-java 0.9.9. */
class ReusableJsonataTest {

    private static final String MAPPING = """
            (
              $total := $sum($map(items, function($i) { $i.n * 2 }));
              { "id": id, "total": $total, "label": $uppercase(label) }
            )""";

    @Test
    void anExpressionEvaluatedThousandsOfTimesLooksUpThroughAFixedNumberOfFrames() {
        ReusableJsonata mapping = new ReusableJsonata(MAPPING);
        assertThat(mapping.parsedPerCall()).isFalse();
        for (int k = 0; k < 2_000; k++) {
            Object out = mapping.evaluate(Map.of("id", "x" + k, "label", "a" + k,
                    "items", List.of(Map.of("n", k), Map.of("n", 1))), null);
            assertThat(out).isEqualTo(Map.of("id", "x" + k, "total", 2 * k + 2, "label", "A" + k));
        }
        // 0.9.9 alone chains each evaluation's frame onto the last one: 2,000 frames deep by now
        assertThat(mapping.environmentDepth()).isLessThan(8);
    }

    @Test
    void aVariableOfOneExpressionNeverReachesAnotherOnTheSameThread() {
        ReusableJsonata binds = new ReusableJsonata("($secret := 'leak'; $secret)");
        ReusableJsonata reads = new ReusableJsonata("$exists($secret) ? 'seen' : 'not seen'");
        for (int k = 0; k < 3; k++) {
            assertThat(binds.evaluate(Map.of(), null)).isEqualTo("leak");
            assertThat(reads.evaluate(Map.of(), null)).isEqualTo("not seen");
        }
    }

    @Test
    void threadsSharingOneExpressionEachGetTheirOwnResults() throws Exception {
        ReusableJsonata mapping = new ReusableJsonata(MAPPING);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int k = 0; k < 500; k++) {
                        String id = thread + "-" + k;
                        Object out = mapping.evaluate(Map.of("id", id, "label", "b", "items", List.of(Map.of("n", k))), null);
                        if (!Map.of("id", id, "total", 2 * k, "label", "B").equals(out)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> run : runs) {
                assertThat(run.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpressionReadingTheClockIsParsedForEachEvaluationAndReadsTheTimeOfThatEvaluation() {
        ReusableJsonata now = new ReusableJsonata("$now()");
        new ReusableJsonata("$string(1)").evaluate(Map.of(), null);
        assertThat(now.parsedPerCall()).isTrue();
        Instant before = Instant.now().minusSeconds(1);
        Instant read = Instant.parse((String) now.evaluate(Map.of(), null));
        assertThat(read).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
    }
}
