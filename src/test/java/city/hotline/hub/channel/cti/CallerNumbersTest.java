package city.hotline.hub.channel.cti;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Fixture C-07: every caller-number format the CTIs send, to E.164; withheld stays "unknown". */
class CallerNumbersTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "13912345678, +8613912345678",
            "+8613912345678, +8613912345678",
            "008613912345678, +8613912345678",
            "8613912345678, +8613912345678",
            "139 1234 5678, +8613912345678",
            "0731-84567890, +8673184567890",
            "073184567890, +8673184567890",
            "057188888888, +8657188888888",
            "010-12345678, +861012345678",
            "(021) 6123 4567, +862161234567",
            "+86 731 8456 7890, +8673184567890",
            "0086-10-12345678, +861012345678",
            "+14155550123, +14155550123",
            "001 415 555 0123, +14155550123"})
    void normalisesToE164(String raw, String e164) {
        assertThat(CallerNumbers.normalise(raw)).isEqualTo(e164);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "anonymous", "Anonymous", "unknown", "PRIVATE", "withheld", "restricted", "-", "0", "0000",
            "1023", "2000", "84567890", "+86", "abc", "139123456789999"})
    void withheldEmptyInternalOrLocalNumbersAreUnknownNotEmpty(String raw) {
        assertThat(CallerNumbers.normalise(raw)).isEqualTo(CallerNumbers.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource({"+8613912345678, +86139****5678", "+8673184567890, +86731****7890", "unknown, unknown"})
    void masksForLogs(String e164, String masked) {
        assertThat(CallerNumbers.mask(e164)).isEqualTo(masked);
    }
}
