package city.hotline.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import city.hotline.hub.calendar.WorkingCalendar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrgencyAndDeadlineTest {

    static final UrgencyRules RULES = UrgencyRules.load("classpath:mappings/urgency-rules.yaml");
    static final Deadlines DEFAULTS = new Deadlines(new RoutingProperties(null, null, null, null, null, null).deadlines(),
            new WorkingCalendar("classpath*:mappings/calendar/*.csv"));

    @Test
    void aGasLeakIsCriticalWithinTwoHours() {
        UrgencyRules.Decision d = RULES.decide("小区楼道里燃气泄漏，味道很大", List.of());

        assertThat(d.level()).isEqualTo("CRITICAL");
        Instant at = Instant.parse("2026-03-02T02:00:00Z");
        assertThat(DEFAULTS.dueAt(d.level(), at)).isEqualTo(Instant.parse("2026-03-02T04:00:00Z"));
    }

    @Test
    void waterPowerGasAndHeatingAreUrgentWithin24Hours() {
        assertThat(RULES.decide("我们小区已经停水两天了", List.of()).level()).isEqualTo("URGENT");
        assertThat(RULES.decide("无关的文字", List.of("城乡建设", "城市建设和市政管理", "冬季采暖")).level()).isEqualTo("URGENT");
        assertThat(DEFAULTS.dueAt("URGENT", Instant.parse("2026-03-02T02:00:00Z"))).isEqualTo(Instant.parse("2026-03-03T02:00:00Z"));
    }

    @Test
    void anythingElseIsGeneralWithinSevenWorkingDaysOverAHoliday() {
        assertThat(RULES.decide("建议在梅溪湖开办一个图书馆", List.of()).level()).isEqualTo("NORMAL");
        // Wednesday 30 September 2026, 10:00 in Shanghai; 1-7 October are holidays, Saturday 10 October is a make-up working day
        Instant received = Instant.parse("2026-09-30T02:00:00Z");

        assertThat(DEFAULTS.dueAt("NORMAL", received)).isEqualTo(Instant.parse("2026-10-15T15:59:59Z"));
    }

    @Test
    void complexItemsGetFifteenWorkingDays() {
        assertThat(RULES.decide("这是历史遗留问题", List.of()).level()).isEqualTo("COMPLEX");
        assertThat(DEFAULTS.dueAt("COMPLEX", Instant.parse("2026-03-02T02:00:00Z"))).isEqualTo(Instant.parse("2026-03-23T15:59:59Z"));
    }

    @Test
    void aDeadlineRuleThatIsNeitherADurationNorWorkingDaysIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new Deadlines(Map.of("CRITICAL", "soon", "URGENT", "24h", "NORMAL", "7 working-days",
                "COMPLEX", "15 working-days"), new WorkingCalendar("classpath*:mappings/calendar/*.csv")))
                .hasMessageContaining("hub.routing.deadlines.CRITICAL").hasMessageContaining("'soon'");
    }

    @Test
    void anUnknownLevelInTheUrgencyRulesStopsWithTheLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("urgency-rules.yaml");
        Files.writeString(file, "default: NORMAL\nrules:\n  - level: VERY_URGENT\n    keywords: [火灾]\n");

        assertThatThrownBy(() -> UrgencyRules.load("file:" + file))
                .hasMessageContaining("urgency-rules.yaml, line 3").hasMessageContaining("unknown level 'VERY_URGENT'");
    }
}
