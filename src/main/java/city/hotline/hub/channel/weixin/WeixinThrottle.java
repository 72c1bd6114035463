package city.hotline.hub.channel.weixin;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import city.hotline.hub.store.ChannelStateStore;

/**
 * WeChat's quota errors: 45011 (minute quota) holds every call until the next minute, 45009 (daily
 * quota) until the next day in China Standard Time, when WeChat resets it. Calls during a hold are
 * not sent at all (sending would only burn quota), and the hold never triggers a token refresh.
 * The quota is the app's, not one hub instance's: the hold lives in the database
 * ({@code channel_hold}), so a hold one instance records stops the others too.
 */
public final class WeixinThrottle {

    public static final int MINUTE_QUOTA = 45011;
    public static final int DAILY_QUOTA = 45009;
    static final String CHANNEL = "weixin";
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public record Hold(int errcode, String errmsg, Instant since, Instant until) {
    }

    private final Clock clock;
    private final ChannelStateStore store;
    private final String appId;

    public WeixinThrottle(Clock clock, ChannelStateStore store, String appId) {
        this.clock = clock;
        this.store = store;
        this.appId = appId;
    }

    public static boolean isQuota(int errcode) {
        return errcode == MINUTE_QUOTA || errcode == DAILY_QUOTA;
    }

    /** When a quota error lifts, seen at {@code now}. */
    public static Instant liftsAt(int errcode, Instant now) {
        if (errcode == DAILY_QUOTA) {
            return now.atZone(CHINA).toLocalDate().plusDays(1).atStartOfDay(CHINA).toInstant();
        }
        return now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    }

    /** Records a quota error; an existing longer hold (of any instance) stays. */
    public Hold hold(int errcode, String errmsg) {
        Instant now = clock.instant();
        return toHold(store.hold(CHANNEL, appId, ChannelStateStore.HoldKind.QUOTA, errcode, errmsg, now, liftsAt(errcode, now)));
    }

    public Optional<Hold> active() {
        return store.active(CHANNEL, appId, ChannelStateStore.HoldKind.QUOTA, clock.instant()).map(WeixinThrottle::toHold);
    }

    /** Lifts the hold for every instance (an operator who raised the quota, or a test). */
    public void clear() {
        store.clearHold(CHANNEL, appId, ChannelStateStore.HoldKind.QUOTA);
    }

    private static Hold toHold(ChannelStateStore.Hold h) {
        return new Hold(h.code() == null ? 0 : h.code(), h.reason(), h.since(), h.until());
    }
}
