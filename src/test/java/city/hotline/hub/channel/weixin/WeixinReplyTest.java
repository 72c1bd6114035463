package city.hotline.hub.channel.weixin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import city.hotline.hub.support.WeixinStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

/** Issue 3, replies 3-5: subscribe and customer-service messages, tokens, quotas, refusals. */
class WeixinReplyTest extends WeixinIntegrationSupport {

    private static final String OK = "{\"errcode\":0,\"errmsg\":\"ok\"}";

    private static void answer(String path, String json) {
        WeixinStubs.WEIXIN.stubFor(post(urlPathEqualTo(path)).willReturn(okJson(json)));
    }

    @Test
    void withinTheWindowTheFullReplyGoesOutAsACustomerServiceText() {
        answer(CUSTOM_SEND, OK);
        String openId = openId();
        String ticketId = ticketFromMessage(openId, "楼下烧烤店油烟扰民");
        String reply = "经核查，该店已安装油烟净化设备，城管执法队将持续跟进。感谢您的监督！".repeat(2);

        status(ticketId, "REPLIED", reply);

        awaitDelivery(ticketId, "SENT");
        List<LoggedRequest> sent = sentTo(CUSTOM_SEND, openId);
        assertThat(sent).hasSize(1);
        JsonNode body = Json.read(sent.get(0).getBodyAsString());
        assertThat(body.get("msgtype").asText()).isEqualTo("text");
        assertThat(body.at("/text/content").asText()).contains(ticketId).contains("已答复").endsWith(reply);
        assertThat(sent.get(0).queryParameter("access_token").firstValue()).isNotBlank();
        assertThat(sentTo(SUBSCRIBE_SEND, openId)).isEmpty();
    }

    @Test
    void outsideTheWindowATwentyFiveCharacterSummaryGoesOutAsASubscribeMessageWithout47003() {
        // WeChat's check: a thing longer than 20 characters is 47003
        WeixinStubs.WEIXIN.stubFor(post(urlPathEqualTo(SUBSCRIBE_SEND)).willReturn(okJson(
                "{\"errcode\":47003,\"errmsg\":\"argument invalid! data.thing3.value invalid rid: 64b67d10-41990089-63b86d0d\"}")));
        WeixinStubs.WEIXIN.stubFor(post(urlPathEqualTo(SUBSCRIBE_SEND)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.data.thing3.value", com.github.tomakehurst.wiremock.client.WireMock.matching("^[^\\n]{1,20}$")))
                .willReturn(okJson(OK)));
        String openId = openId();
        String ticketId = ticketFromSubmission(openId, "公园健身器材损坏");
        String summary = "小区门口道路破损严重多次反映仍未修复请尽快处理谢谢";
        assertThat(summary.codePointCount(0, summary.length())).isEqualTo(25);

        status(ticketId, "REPLIED", summary);

        awaitDelivery(ticketId, "SENT");
        List<LoggedRequest> sent = sentTo(SUBSCRIBE_SEND, openId);
        assertThat(sent).hasSize(1);
        JsonNode body = Json.read(sent.get(0).getBodyAsString());
        assertThat(body.get("template_id").asText()).isEqualTo(WeixinStubs.TEMPLATE_ID);
        assertThat(body.get("data").isObject()).isTrue();
        assertThat(body.at("/data/thing3/value").asText()).isEqualTo("小区门口道路破损严重多次反映仍未修复请…");
        assertThat(body.at("/data/phrase2/value").asText()).isEqualTo("已答复");
        assertThat(body.at("/data/character_string1/value").asText()).isEqualTo(ticketId);
        assertThat(body.at("/data/time4/value").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}");
        assertThat(body.get("miniprogram_state").asText()).isEqualTo("formal");
        assertThat(sentTo(CUSTOM_SEND, openId)).isEmpty();
    }

    @Test
    void aTokenThatExpiresMidRunIsRefreshedExactlyOnceAndTheSendReplayedOnce() {
        weixin.api().tokens().forget();
        WeixinStubs.WEIXIN.stubFor(post("/cgi-bin/stable_token").inScenario("expiry").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"TOKEN_A\",\"expires_in\":7200}")).willSetStateTo("second"));
        WeixinStubs.WEIXIN.stubFor(post("/cgi-bin/stable_token").inScenario("expiry").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"TOKEN_B\",\"expires_in\":7200}")));
        WeixinStubs.WEIXIN.stubFor(post(urlPathEqualTo(CUSTOM_SEND)).withQueryParam("access_token", equalTo("TOKEN_A"))
                .willReturn(okJson("{\"errcode\":42001,\"errmsg\":\"access_token expired rid: 6299e87e-5ed9e599-0d046b47\"}")));
        WeixinStubs.WEIXIN.stubFor(post(urlPathEqualTo(CUSTOM_SEND)).withQueryParam("access_token", equalTo("TOKEN_B")).willReturn(okJson(OK)));
        String openId = openId();
        String ticketId = ticketFromMessage(openId, "过期令牌");
        int refreshesBefore = weixin.api().tokens().refreshes();

        status(ticketId, "ACCEPTED", null);

        awaitDelivery(ticketId, "SENT");
        assertThat(WeixinStubs.WEIXIN.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/stable_token")))).hasSize(2);
        List<LoggedRequest> sends = sentTo(CUSTOM_SEND, openId);
        assertThat(sends).extracting(r -> r.queryParameter("access_token").firstValue()).containsExactly("TOKEN_A", "TOKEN_B");
        assertThat(weixin.api().tokens().refreshes()).isEqualTo(refreshesBefore + 1);
        assertThat(delivery(ticketId).get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void minuteQuotaHoldsDeliveriesUntilTheNextMinuteAndHealthShowsIt() {
        String openId = openId();
        String ticketId = ticketFromMessage(openId, "限流");
        answer(CUSTOM_SEND, "{\"errcode\":45011,\"errmsg\":\"api minute-quota reach limit, must slower, retry next minute rid: 5fb1e22f-15e0407f-00233e18\"}");
        int refreshes = weixin.api().tokens().refreshes();
        // the hold ends at the next full minute: start early enough in this one to look at it
        await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().atZone(java.time.ZoneOffset.UTC).getSecond() < 50);

        status(ticketId, "ACCEPTED", null);

        JsonNode held = await().atMost(Duration.ofSeconds(8)).until(() -> delivery(ticketId),
                d -> d != null && d.path("lastError").asText().contains("45011"));
        JsonNode health = health().at("/components/weixin");
        assertThat(health.get("status").asText()).isEqualTo("THROTTLED");
        assertThat(health.at("/details/throttle/errcode").asInt()).isEqualTo(45011);
        Instant until = Instant.parse(health.at("/details/throttle/until").asText());
        assertThat(until).isEqualTo(until.truncatedTo(ChronoUnit.MINUTES)).isAfter(Instant.now())
                .isBefore(Instant.now().plusSeconds(61));
        assertThat(held.get("state").asText()).isEqualTo("PENDING");
        assertThat(held.get("attempts").asInt()).isZero();
        assertThat(Instant.parse(held.get("nextAttemptAt").asText())).isEqualTo(until);
        assertThat(sentTo(CUSTOM_SEND, openId)).hasSize(1);
        assertThat(weixin.api().tokens().refreshes()).isEqualTo(refreshes);
    }

    @Test
    void dailyQuotaHoldsUntilTheNextDayInChinaAndNothingIsSentMeanwhile() {
        String openId = openId();
        String ticketId = ticketFromMessage(openId, "日配额");
        String other = openId();
        String otherTicket = ticketFromMessage(other, "配额用完后的第二条");
        int refreshes = weixin.api().tokens().refreshes();
        answer(CUSTOM_SEND, "{\"errcode\":45009,\"errmsg\":\"reach max api daily quota limit rid: 67319658-6bdf12f9-2ecb8196\"}");

        status(ticketId, "ACCEPTED", null);

        JsonNode held = await().atMost(Duration.ofSeconds(20)).until(() -> delivery(ticketId),
                d -> d != null && d.path("lastError").asText().contains("45009"));
        JsonNode health = health().at("/components/weixin");
        assertThat(health.get("status").asText()).isEqualTo("THROTTLED");
        assertThat(health.at("/details/throttle/errcode").asInt()).isEqualTo(45009);
        Instant since = Instant.parse(health.at("/details/throttle/since").asText());
        Instant until = Instant.parse(health.at("/details/throttle/until").asText());
        assertThat(until).isEqualTo(WeixinThrottle.liftsAt(45009, since));
        assertThat(until.atZone(java.time.ZoneId.of("Asia/Shanghai")).toLocalTime()).isEqualTo(java.time.LocalTime.MIDNIGHT);
        assertThat(Instant.parse(held.get("nextAttemptAt").asText())).isEqualTo(until);
        assertThat(held.get("attempts").asInt()).isZero();

        // during the hold another delivery is not even sent, and no token is refreshed
        status(otherTicket, "ACCEPTED", null);
        JsonNode second = await().atMost(Duration.ofSeconds(20)).until(() -> delivery(otherTicket),
                d -> d != null && d.path("lastError").asText().contains("held until"));
        assertThat(second.get("state").asText()).isEqualTo("PENDING");
        assertThat(Instant.parse(second.get("nextAttemptAt").asText())).isEqualTo(until);
        assertThat(sentTo(CUSTOM_SEND, other)).isEmpty();
        assertThat(sentTo(CUSTOM_SEND, openId)).hasSize(1);
        assertThat(weixin.api().tokens().refreshes()).isEqualTo(refreshes);
        assertThat(WeixinStubs.WEIXIN.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/stable_token")))).isEmpty();
    }

    @Test
    void refusalsMarkTheDeliveryFailedWithTheReasonAndAreNotRetried() {
        assertFailsFor(SUBSCRIBE_SEND, 43101, "user refuse to accept the msg rid: 1", "43101", false);
        assertFailsFor(CUSTOM_SEND, 45015, "response out of time limit or subscription is canceled hint: [IVHYVA0391ge31]", "48-hour", true);
        assertFailsFor(SUBSCRIBE_SEND, 40003, "invalid openid rid: 2", "invalid openid", false);
    }

    @Test
    void a47003SurfacesAsAMappingErrorNamingTheField() {
        answer(SUBSCRIBE_SEND, "{\"errcode\":47003,\"errmsg\":\"argument invalid! data.phrase2.value invalid rid: 64b67d10-41990089-63b86d0d\"}");
        String ticketId = ticketFromSubmission(openId(), "模板字段错误");

        status(ticketId, "ACCEPTED", null);

        JsonNode failed = awaitDelivery(ticketId, "FAILED");
        assertThat(failed.get("lastError").asText()).contains("mapping error").contains("'phrase2'").contains("47003");
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void systemBusyIsRetriedWithExponentialBackoffUntilItGoesThrough() {
        WeixinStubs.WEIXIN.stubFor(post(urlPathEqualTo(CUSTOM_SEND)).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"errcode\":-1,\"errmsg\":\"system error\"}")).willSetStateTo("busy-again"));
        WeixinStubs.WEIXIN.stubFor(post(urlPathEqualTo(CUSTOM_SEND)).inScenario("busy").whenScenarioStateIs("busy-again")
                .willReturn(okJson("{\"errcode\":-1,\"errmsg\":\"system error\"}")).willSetStateTo("ok"));
        WeixinStubs.WEIXIN.stubFor(post(urlPathEqualTo(CUSTOM_SEND)).inScenario("busy").whenScenarioStateIs("ok").willReturn(okJson(OK)));
        String openId = openId();
        String ticketId = ticketFromMessage(openId, "系统繁忙");
        int refreshes = weixin.api().tokens().refreshes();

        status(ticketId, "ASSIGNED", null);

        JsonNode sent = awaitDelivery(ticketId, "SENT");
        assertThat(sent.get("attempts").asInt()).isEqualTo(3);
        List<LoggedRequest> sends = sentTo(CUSTOM_SEND, openId);
        assertThat(sends).hasSize(3);
        long first = sends.get(1).getLoggedDate().getTime() - sends.get(0).getLoggedDate().getTime();
        long second = sends.get(2).getLoggedDate().getTime() - sends.get(1).getLoggedDate().getTime();
        // hub.relay.retry in tests: 200 ms, doubling
        assertThat(first).isGreaterThanOrEqualTo(200);
        assertThat(second).isGreaterThanOrEqualTo(400).isGreaterThan(first);
        assertThat(weixin.api().tokens().refreshes()).isEqualTo(refreshes);
    }

    private void assertFailsFor(String path, int errcode, String errmsg, String reasonSays, boolean inWindow) {
        WeixinStubs.WEIXIN.resetAll();
        WeixinStubs.stableToken("TOKEN_A");
        answer(path, "{\"errcode\":" + errcode + ",\"errmsg\":\"" + errmsg + "\"}");
        String openId = openId();
        String ticketId = inWindow ? ticketFromMessage(openId, "拒收 " + errcode) : ticketFromSubmission(openId, "拒收 " + errcode);

        status(ticketId, "ACCEPTED", null);

        JsonNode failed = awaitDelivery(ticketId, "FAILED");
        assertThat(failed.get("lastError").asText()).contains(String.valueOf(errcode)).contains(reasonSays);
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> sentTo(path, openId).size() == 1);
        if (errcode == 45015) {
            // WeChat says the window is closed: the next reply will not try a customer-service message again
            assertThat(contacts.lastMessageAt(WeixinStubs.APP_ID, openId)).isEmpty();
        }
    }

    @org.springframework.beans.factory.annotation.Autowired
    private WeixinContacts contacts;
}
