package city.hotline.hub.channel.weibo;

import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.store.PollCursorStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The Weibo channel for operators: DOWN with "re-authorisation needed" after a token error
 * (polling stopped, nothing lost); per endpoint its since_id cursor and any rate-limit pause.
 */
@Component("weibo")
public class WeiboHealth implements HealthIndicator {

    private final WeiboProperties props;
    private final WeiboAuth auth;
    private final PollCursorStore cursors;

    public WeiboHealth(WeiboProperties props, WeiboAuth auth, PollCursorStore cursors) {
        this.props = props;
        this.auth = auth;
        this.cursors = cursors;
    }

    @Override
    public Health health() {
        if (!props.enabled()) {
            return Health.unknown().withDetail("enabled", false).build();
        }
        Map<String, Object> endpoints = new LinkedHashMap<>();
        for (PollCursorStore.Cursor c : cursors.all(WeiboBindings.CHANNEL)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("sinceId", c.watermark() == null ? "none yet (first run)" : String.valueOf(c.watermark()));
            if (c.nextPollAt() != null && c.failures() > 0) {
                d.put("pausedUntil", c.nextPollAt().toString());
                d.put("pauseReason", c.pauseReason());
                d.put("lastError", c.lastError());
            }
            if (c.lastSuccessAt() != null) {
                d.put("lastSuccess", c.lastSuccessAt().toString());
            }
            endpoints.put(c.source(), d);
        }
        WeiboAuth.Reauthorisation reauth = auth.reauthorisation();
        Health.Builder b = reauth == null ? Health.up() : Health.down()
                .withDetail("problem", "re-authorisation needed")
                .withDetail("reason", reauth.reason())
                .withDetail("since", reauth.since().toString());
        return b.withDetail("endpoints", endpoints).build();
    }
}
