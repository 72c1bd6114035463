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

    private static Report titled(String title, String text, Instant at, String... identities) {
        return new Report(TextNormaliser.normalise(text), TextNormaliser.withBreaks(title), TextNormaliser.normalise(title), null, at, Set.of(identities));
    }

    @Test
    void theSameRequesterReWritingTheLetterUnderNearlyTheSameTitleMerges() {
        // board pair 102 of the evaluation set: the letter rewritten from scratch, the heading kept
        Report first = titled("A市A3区兰亭湾畔小区违法开餐厅", "小区一楼住户把房子改成餐厅，油烟噪音扰民，城管来了也不管", T0, "phone:+8613812345678");
        Report again = titled("A3区兰亭湾畔小区违规开餐厅", "再次反映：住宅楼下私自经营饭店，每天凌晨还在营业，投诉多次无果", T0.plusSeconds(42 * 3600),
                "phone:+8613812345678");
        MergeDecision.Verdict v = decision.decide(again, first);
        assertThat(v.merge()).as(v.toString()).isTrue();
        assertThat(v.reasons()).contains("same requester").anyMatch(r -> r.startsWith("title similarity"));
    }

    @Test
    void aSimilarTitleAloneMergesNeitherStrangersNorShortTitles() {
        Report first = titled("A市A3区兰亭湾畔小区违法开餐厅", "小区一楼住户把房子改成餐厅，油烟噪音扰民，城管来了也不管", T0, "phone:+8613812345678");
        Report stranger = titled("A3区兰亭湾畔小区违规开餐厅", "再次反映：住宅楼下私自经营饭店，每天凌晨还在营业，投诉多次无果", T0.plusSeconds(3600),
                "phone:+8613900000000");
        assertThat(decision.decide(stranger, first).merge()).isFalse();
        Report shortFirst = titled("投诉噪音", "楼上邻居每天深夜装修，电钻声音很大", T0, "phone:+8613812345678");
        Report shortAgain = titled("投诉噪音", "小区门口广场舞音响开到晚上十点", T0.plusSeconds(3600), "phone:+8613812345678");
        assertThat(decision.decide(shortAgain, shortFirst).merge()).as("titles under min-title-chars say too little").isFalse();
    }

    @Test
    void theSameRequesterUnderTheSameTitleAboutAnotherPlaceStaysSeparate() {
        Report first = titled("小区门口餐馆油烟直排扰民问题", "A2区南湖路森宇家园门口的餐馆油烟直排，熏得住户不敢开窗", T0, "phone:+8613812345678");
        Report other = titled("小区门口餐馆油烟直排扰民问题", "A5区劳动东路魅力之城小区门口的餐馆油烟直排，熏得住户不敢开窗", T0.plusSeconds(3600),
                "phone:+8613812345678");
        MergeDecision.Verdict v = decision.decide(other, first);
        assertThat(v.merge()).as(v.toString()).isFalse();
        assertThat(v.reasons().get(0)).startsWith("different place");
    }
}
