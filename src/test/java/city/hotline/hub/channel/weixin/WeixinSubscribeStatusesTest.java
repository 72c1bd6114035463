package city.hotline.hub.channel.weixin;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import city.hotline.hub.support.WeixinStubs;
import org.junit.jupiter.api.Test;

/** Issue 8, point 14: a citizen's one-time subscribe consent is spent only on the configured statuses. */
class WeixinSubscribeStatusesTest extends WeixinIntegrationSupport {

    @Test
    void outsideTheWindowOnlyAcceptedAndRepliedSpendTheSubscribeConsent() {
        WeixinStubs.WEIXIN.stubFor(post(urlPathEqualTo(SUBSCRIBE_SEND)).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        String openId = openId();
        // a mini-program submission: no message, so the customer-service window is closed
        String ticketId = ticketFromSubmission(openId, "路灯不亮两周了");

        status(ticketId, "IN_PROGRESS", null);
        // not a configured status: the delivery is done, nothing went to WeChat
        awaitDelivery(ticketId, "SENT");
        assertThat(sentTo(SUBSCRIBE_SEND, openId)).isEmpty();

        status(ticketId, "REPLIED", "已修复");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> sentTo(SUBSCRIBE_SEND, openId).size() == 1);
        assertThat(sentTo(SUBSCRIBE_SEND, openId).get(0).getBodyAsString()).contains("已答复");
    }
}
