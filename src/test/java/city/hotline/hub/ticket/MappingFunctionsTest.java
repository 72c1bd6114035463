package city.hotline.hub.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MappingFunctionsTest {

    @Test
    void boardStyleTimesAreShanghaiWallClockTime() {
        assertThat(MappingFunctions.utc("2019/4/25 9:32:09")).isEqualTo("2019-04-25T01:32:09Z");
        assertThat(MappingFunctions.utc("2019/12/31 23:59:59")).isEqualTo("2019-12-31T15:59:59Z");
        assertThat(MappingFunctions.utc("2020/1/6 12:09")).isEqualTo("2020-01-06T04:09:00Z");
    }

    @Test
    void isoTimesKeepTheirOffsetAndLocalIsoTimesAreShanghai() {
        assertThat(MappingFunctions.utc("2026-11-28T10:00:00+08:00")).isEqualTo("2026-11-28T02:00:00Z");
        assertThat(MappingFunctions.utc("2026-11-28T02:00:00Z")).isEqualTo("2026-11-28T02:00:00Z");
        assertThat(MappingFunctions.utc("2026-11-28T02:00:00.750-05:00")).isEqualTo("2026-11-28T07:00:00Z");
        assertThat(MappingFunctions.utc("2026-11-28T10:00:00")).isEqualTo("2026-11-28T02:00:00Z");
    }

    @Test
    void anUnreadableTimeNamesTheValue() {
        assertThatThrownBy(() -> MappingFunctions.utc("2019/13/45 10:00:00"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'2019/13/45 10:00:00'");
        assertThatThrownBy(() -> MappingFunctions.utc("yesterday")).hasMessageContaining("'yesterday'");
    }

    @Test
    void chinesePhoneNumbersBecomeE164() {
        assertThat(MappingFunctions.e164("13912345678")).isEqualTo("+8613912345678");
        assertThat(MappingFunctions.e164("139 1234 5678")).isEqualTo("+8613912345678");
        assertThat(MappingFunctions.e164("+8613912345678")).isEqualTo("+8613912345678");
        assertThat(MappingFunctions.e164("008613912345678")).isEqualTo("+8613912345678");
        assertThat(MappingFunctions.e164("8613912345678")).isEqualTo("+8613912345678");
        assertThat(MappingFunctions.e164("0571-88888888")).isEqualTo("+8657188888888");
        assertThat(MappingFunctions.e164("+1 415 555 0100")).isEqualTo("+14155550100");
        assertThat(MappingFunctions.e164(" ")).isNull();
    }
}
