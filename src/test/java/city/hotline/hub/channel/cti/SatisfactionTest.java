package city.hotline.hub.channel.cti;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fixture C-09: PostIVRKeyPressed / follow-up answers on the five-level scale. */
class SatisfactionTest {

    @ParameterizedTest(name = "key {0}, label {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "1, 非常满意, VERY_SATISFIED",
            "2, 满意, SATISFIED",
            "3, 基本满意, BASICALLY_SATISFIED",
            "4, 不满意, DISSATISFIED",
            "5, 非常不满意, VERY_DISSATISFIED",
            "9, 满意, SATISFIED",
            "1, null, VERY_SATISFIED",
            "5, null, VERY_DISSATISFIED",
            "null, 非常不满意, VERY_DISSATISFIED",
            "null, DISSATISFIED, DISSATISFIED"})
    void labelFirstThenKey(String key, String label, String level) {
        assertThat(Satisfaction.level(key, label)).isEqualTo(level);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null, null", "0, null", "6, 一般", "*, null"})
    void anythingElseIsNoLevel(String key, String label) {
        assertThat(Satisfaction.level(key, label)).isNull();
    }
}
