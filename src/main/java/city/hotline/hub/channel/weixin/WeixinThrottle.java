package city.hotline.hub.channel.weixin;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * WeChat's quota errors: 45011 (minute quota) holds every call until the next minute, 45009 (daily
 * quota) until the next day in China Standard Time, when WeChat resets it. Calls during a hold are
 * not sent at all (sending would only burn quota), and the hold never triggers a token refresh.
 */
public final class WeixinThrottle {

    public static final int MINUTE_QUOTA = 45011;
    public static final int DAILY_QUOTA = 45009;
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public record Hold(int errcode, String errmsg, Instant since, Instant until) {
    }

    private final Clock clock;
    private volatile Hold hold;

    public WeixinThrottle(Clock clock) {
        this.clock = clock;
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

    /** Records a quota error; an existing longer hold stays. */
    public synchronized Hold hold(int errcode, String errmsg) {
        Instant now = clock.instant();
        Instant until = liftsAt(errcode, now);
        Hold current = hold;
        if (current == null || current.until().isBefore(until)) {
            hold = new Hold(errcode, errmsg, now, until);
        }
        return hold;
    }

    public Optional<Hold> active() {
        Hold h = hold;
        return h != null && clock.instant().isBefore(h.until()) ? Optional.of(h) : Optional.empty();
    }

    /** Lifts the hold (an operator who raised the quota, or a test). */
    public void clear() {
        hold = null;
    }
}
