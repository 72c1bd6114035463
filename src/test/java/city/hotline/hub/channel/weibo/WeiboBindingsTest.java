package city.hotline.hub.channel.weibo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.ticket.HubProperties;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

/** Weibo's keys (hub.channels.weibo.*) become http-poll properties; its token never goes into the binding. */
class WeiboBindingsTest {

    @Test
    void bothMentionEndpointsAreSourcesPagedWithSinceIdAndMaxIdAndTheTokenComesFromWeiboAuth() {
        WeiboProperties props = new WeiboProperties(true, "https://api.weibo.test", "secret-token-value", Duration.ofMinutes(2), "1.2.3.4",
                null, 50, 20, "https://hub/r/", new HubProperties.Retry(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(30), null, null));

        ChannelBinding b = new WeiboBindings(props, null, new StandardEnvironment()).binding();

        assertThat(b.kind()).isEqualTo("http-poll");
        assertThat(b.properties()).containsEntry("url", "https://api.weibo.test/2/{source}/mentions.json?count=50&since_id={watermark}")
                .containsEntry("sources", "statuses,comments").containsEntry("sourceKey", "{source}/mentions")
                .containsEntry("cursorParam", "max_id").containsEntry("reader", "weiboPageReader")
                .containsEntry("authBean", "weiboAuth").containsEntry("authParam", "access_token").containsEntry("hold", "weiboAuth")
                .containsEntry("interval", "120000").containsEntry("maxPages", "20").containsEntry("maxBackoff", "1800");
        assertThat(b.properties().values()).noneMatch(v -> v.contains("secret-token-value"));
        assertThat(b.toString()).doesNotContain("secret-token-value");
    }
}
