package city.hotline.hub.channel.weixin;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Health component {@code weixin}: THROTTLED (with the errcode and when the hold ends) while a
 * WeChat quota holds every call, DOWN while WeChat refuses our credentials (an operator must fix
 * app-id / app-secret / the IP whitelist), UP otherwise. THROTTLED is a status of its own so that a
 * used-up quota does not turn the whole hub's health DOWN.
 * (Bean name without "weixin" alone: that name is the Camel component's.)
 */
@Component("weixinHealthIndicator")
public class WeixinHealthIndicator implements HealthIndicator {

    public static final Status THROTTLED = new Status("THROTTLED", "WeChat quota reached; calls held");

    private final WeixinComponent weixin;
    private final WeixinProperties props;

    public WeixinHealthIndicator(WeixinComponent weixin, WeixinProperties props) {
        this.weixin = weixin;
        this.props = props;
    }

    @Override
    public Health health() {
        if (!props.enabled()) {
            return Health.unknown().withDetail("enabled", false).build();
        }
        WeixinApi api = weixin.api();
        Health.Builder b;
        var hold = api.throttle().active();
        if (api.credentialsProblem() != null) {
            b = Health.down().withDetail("reauthorisationNeeded", api.credentialsProblem());
        } else if (hold.isPresent()) {
            b = Health.status(THROTTLED).withDetail("throttle", java.util.Map.of(
                    "errcode", hold.get().errcode(),
                    "errmsg", hold.get().errmsg(),
                    "since", hold.get().since().toString(),
                    "until", hold.get().until().toString()));
        } else {
            b = Health.up();
        }
        b.withDetail("appId", String.valueOf(props.appId()));
        if (api.tokenExpiresAt() != null) {
            b.withDetail("tokenExpiresAt", api.tokenExpiresAt().toString());
        }
        b.withDetail("tokenRefreshesAfterRejection", api.tokens().refreshes());
        return b.build();
    }
}
