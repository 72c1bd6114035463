package city.hotline.hub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Predicate;

import city.hotline.hub.routing.RulesFile;
import city.hotline.hub.ticket.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DispatchRulesTest {

    static final Set<String> BACKENDS = Set.of("case-system", "gas-company", "street-yuelu");
    static final Predicate<String> PLACES = Set.of("岳麓区", "洋湖街道", "430104")::contains;

    @TempDir
    Path dir;

    private DispatchRules read(String yaml) throws IOException {
        Path file = dir.resolve("dispatch-rules.yaml");
        Files.writeString(file, yaml);
        return DispatchRules.read("file:" + file, BACKENDS, PLACES);
    }

    @Test
    void theFirstMatchingRuleDecidesAndAJointRuleNamesTwoBackEnds() throws IOException {
        DispatchRules rules = read("""
                default: case-system
                rules:
                  - name: gas
                    when: {keywords: [燃气泄漏]}
                    to: [gas-company, case-system]
                  - when:
                      street: 洋湖街道
                      urgency: [NORMAL, URGENT]
                    to: street-yuelu
                """);

        assertThat(rules.decide(Json.read("{\"content\":\"洋湖街道燃气泄漏\",\"location\":{\"street\":\"洋湖街道\"}}")).backends())
                .containsExactly("gas-company", "case-system");
        assertThat(rules.decide(Json.read("{\"content\":\"路灯\",\"urgency\":\"NORMAL\",\"location\":{\"street\":\"洋湖街道\"}}")).backends())
                .containsExactly("street-yuelu");
        assertThat(rules.decide(Json.read("{\"content\":\"路灯\",\"urgency\":\"CRITICAL\",\"location\":{\"street\":\"洋湖街道\"}}")).backends())
                .containsExactly("case-system");
    }

    @Test
    void categoriesMatchALevelNameOrACodePrefix() throws IOException {
        DispatchRules rules = read("""
                default: case-system
                rules:
                  - when: {category: ["0101", 教育文体]}
                    to: street-yuelu
                """);

        assertThat(rules.decide(Json.read("{\"category\":{\"code\":\"010103\",\"path\":[\"城乡建设\",\"安全生产\",\"安全隐患\"]}}")).backends())
                .containsExactly("street-yuelu");
        assertThat(rules.decide(Json.read("{\"category\":{\"code\":\"07\",\"path\":[\"教育文体\"]}}")).backends())
                .containsExactly("street-yuelu");
        assertThat(rules.decide(Json.read("{\"category\":{\"code\":\"02\",\"path\":[\"交通运输\"]}}")).backends())
                .containsExactly("case-system");
    }

    @Test
    void anUnknownBackEndIsRefusedWithTheFileTheLineAndTheProblem() {
        assertThatThrownBy(() -> read("""
                default: case-system
                rules:
                  - when: {district: 岳麓区}
                    to: [street-yuelu, water-company]
                """))
                .isInstanceOf(RulesFile.Invalid.class)
                .hasMessageContaining("dispatch-rules.yaml, line 4")
                .hasMessageContaining("unknown back-end 'water-company'");
    }

    @Test
    void everyKindOfMistakeNamesItsLine() {
        assertThatThrownBy(() -> read("rules: []\n")).hasMessageContaining("line 1").hasMessageContaining("'default'");
        assertThatThrownBy(() -> read("default: case-system\nrules:\n  - when: {districts: 岳麓区}\n    to: case-system\n"))
                .hasMessageContaining("line 3").hasMessageContaining("unknown key 'districts'");
        assertThatThrownBy(() -> read("default: case-system\nrules:\n  - when: {street: 洋湖}\n    to: case-system\n"))
                .hasMessageContaining("line 3").hasMessageContaining("unknown street '洋湖'");
        assertThatThrownBy(() -> read("default: case-system\nrules:\n  - when: {urgency: SOON}\n    to: case-system\n"))
                .hasMessageContaining("line 3").hasMessageContaining("unknown urgency 'SOON'");
        assertThatThrownBy(() -> read("default: case-system\nrules:\n  - when: {keywords: 火灾}\n"))
                .hasMessageContaining("line 3").hasMessageContaining("needs 'to'");
        assertThatThrownBy(() -> read("default: case-system\nrules:\n  - when: {keywords: [火灾\n    to: case-system\n"))
                .hasMessageContaining("not valid YAML");
    }
}
