package city.hotline.hub.channel.weixin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import city.hotline.hub.store.ChannelStateStore;
import city.hotline.hub.support.TestDatabase;
import org.junit.jupiter.api.Test;

class WeixinThrottleTest {

    @Test
    void minuteQuotaHoldsUntilTheNextMinute() {
        assertThat(WeixinThrottle.liftsAt(45011, Instant.parse("2026-03-01T10:15:42.300Z"))).isEqualTo(Instant.parse("2026-03-01T10:16:00Z"));
    }

    @Test
    void dailyQuotaHoldsUntilMidnightChinaStandardTime() {
        // 10:15 UTC is 18:15 in Beijing; the quota resets at 00:00 Beijing = 16:00 UTC
        assertThat(WeixinThrottle.liftsAt(45009, Instant.parse("2026-03-01T10:15:42Z"))).isEqualTo(Instant.parse("2026-03-01T16:00:00Z"));
        // 17:00 UTC is already 01:00 the next day in Beijing
        assertThat(WeixinThrottle.liftsAt(45009, Instant.parse("2026-03-01T17:00:00Z"))).isEqualTo(Instant.parse("2026-03-02T16:00:00Z"));
    }

    @Test
    void aLongerHoldIsNotShortenedAndTheHoldEndsOnTime() {
        Instant now = Instant.parse("2026-03-01T10:15:42Z");
        TestDatabase.clearChannelState();
        ChannelStateStore store = TestDatabase.channelState(TestDatabase.server().getPostgresDatabase());
        WeixinThrottle t = new WeixinThrottle(Clock.fixed(now, ZoneOffset.UTC), store, "wxapp");
        t.hold(45009, "daily");
        t.hold(45011, "minute");
        assertThat(t.active()).get().extracting(WeixinThrottle.Hold::errcode).isEqualTo(45009);
        // the daily hold ends at midnight in Beijing (16:00 UTC), not a second earlier
        WeixinThrottle justBefore = new WeixinThrottle(Clock.fixed(Instant.parse("2026-03-01T15:59:59Z"), ZoneOffset.UTC), store, "wxapp");
        assertThat(justBefore.active()).isPresent();
        WeixinThrottle later = new WeixinThrottle(Clock.fixed(Instant.parse("2026-03-01T16:00:00Z"), ZoneOffset.UTC), store, "wxapp");
        assertThat(later.active()).isEmpty();
    }
}
