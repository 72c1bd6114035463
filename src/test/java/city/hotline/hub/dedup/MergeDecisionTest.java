package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MergeDecisionTest {

    private final MergeDecision decision = new MergeDecision(DedupProperties.defaults());
    private static final Instant T0 = Instant.parse("2026-11-20T01:00:00Z");

    private static Report report(String text, Instant at, String... identities) {
        String n = TextNormaliser.normalise(text);
        return new Report(n, "", null, at, Set.of(identities));
    }

    @Test
    void theSameTextWithinTheWindowMerges() {
        MergeDecision.Verdict v = decision.decide(report("人民路与解放路交叉口井盖缺失，夜间非常危险！", T0.plusSeconds(3 * 3600)),
                report("人民路与解放路交叉口井盖缺失 夜间非常危险", T0));
        assertThat(v.merge()).isTrue();
        assertThat(v.score()).isEqualTo(1.0);
        assertThat(v.reasons()).contains("same text", "reported 3 h apart");
    }

    @Test
    void theSameTextOutsideTheWindowDoesNotMerge() {
        assertThat(decision.decide(report("人民路与解放路交叉口井盖缺失，夜间非常危险", T0.plusSeconds(8 * 86400)),
                report("人民路与解放路交叉口井盖缺失，夜间非常危险", T0)).merge()).isFalse();
    }

    @Test
    void theSameWordingAboutADifferentRoadNeverMerges() {
        MergeDecision.Verdict v = decision.decide(report("东风路与解放路交叉口井盖缺失，夜间非常危险", T0),
                report("人民路与解放路交叉口井盖缺失，夜间非常危险", T0, "phone:+8613812345678"));
        assertThat(v.merge()).isFalse();
        assertThat(v.reasons().get(0)).startsWith("different place");
    }

    @Test
    void aShortGenericTextFromTwoPeopleWithoutAPlaceDoesNotMerge() {
        assertThat(decision.decide(report("路灯不亮", T0), report("路灯不亮", T0)).merge()).isFalse();
        assertThat(decision.decide(report("路灯不亮", T0, "phone:+8613812345678"), report("路灯不亮", T0, "phone:+8613812345678")).merge()).isTrue();
    }

    @Test
    void theSameRequesterRewordingAReportAboutTheSamePlaceMerges() {
        Report first = report("A1区马王堆街道新桥新村同鑫家园房屋漏水问题迟迟不解决，411房全是粪水，物业不管", T0, "user:board:A00036414");
        Report again = report("A1区新桥新村同鑫家园排水堵塞问题迟迟不解决，411房全是粪水，地板泡坏，物业不管", T0.plusSeconds(86400), "user:board:A00036414");
        MergeDecision.Verdict v = decision.decide(again, first);
        assertThat(v.merge()).as(v.toString()).isTrue();
        assertThat(v.reasons()).contains("same requester");
        Report otherProblem = report("A1区同鑫家园门口垃圾堆放一周无人清理，气味难闻", T0.plusSeconds(86400));
        assertThat(decision.decide(otherProblem, first).merge()).isFalse();
    }
}
