package city.hotline.hub.channel.weibo;

import java.time.Duration;

import city.hotline.hub.ticket.HubProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.channels.weibo.*}; defaults live in application.yml. The access token is a secret:
 * it comes from the environment, is never logged and is not part of {@link #toString()}.
 *
 * @param rateLimitPause how long an endpoint rests after 10022/10023/10024; empty: until the next full hour
 * @param count          items per page requested ({@code count})
 * @param fullReplyUrl   base of the link appended to a reply cut to 140 characters (the ticket id follows)
 * @param backoff        growing delay after other failed polls (network, 5xx, malformed bodies)
 */
@ConfigurationProperties("hub.channels.weibo")
public record WeiboProperties(boolean enabled, String apiBaseUrl, String accessToken, Duration pollInterval, String rip,
                              Duration rateLimitPause, int count, int maxPagesPerRun, String fullReplyUrl,
                              HubProperties.Retry backoff) {

    public WeiboProperties {
        count = count <= 0 ? 50 : count;
        maxPagesPerRun = maxPagesPerRun <= 0 ? 20 : maxPagesPerRun;
    }

    @Override
    public String toString() {
        return "WeiboProperties[enabled=" + enabled + ", apiBaseUrl=" + apiBaseUrl + ", accessToken=***]";
    }
}
