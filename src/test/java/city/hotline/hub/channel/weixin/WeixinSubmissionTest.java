package city.hotline.hub.channel.weixin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import city.hotline.hub.support.WeixinStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Issue 3, intake 2: mini-program form submissions with the jscode2session exchange. */
class WeixinSubmissionTest extends WeixinIntegrationSupport {

    private static String itemIdFor(String requestId) {
        return WeixinStubs.APP_ID + ":submission:" + requestId;
    }

    @Test
    void aSubmissionIsTicketedWithTheOpenidFromJscode2sessionAsChannelUser() {
        String code = "code-" + UUID.randomUUID();
        String requestId = UUID.randomUUID().toString();
        String openId = openId();
        stubLogin(code, "{\"openid\":\"" + openId + "\",\"session_key\":\"c2Vzc2lvbmtleQ==\",\"unionid\":\"u-1\"}");
        String body = "{\"requestId\":\"" + requestId + "\",\"code\":\"" + code + "\",\"title\":\"井盖缺失\",\"content\":\"人民路与解放路交叉口井盖缺失，夜间危险\","
                + "\"phone\":\"13912345678\",\"address\":\"人民路88号\",\"images\":[\"https://example.org/a.jpg\",\"https://example.org/b.jpg\"]}";

        HttpResponse<String> r = postTo(SUBMISSIONS, body, "application/json");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(Json.read(r.body()).get("receiptId").asText()).isNotBlank();
        JsonNode t = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemIdFor(requestId)), x -> x != null);
        assertThat(t.at("/origins/0/channelUserId").asText()).isEqualTo(openId);
        assertThat(t.at("/origins/0/replyTarget/openid").asText()).isEqualTo(openId);
        assertThat(t.get("title").asText()).isEqualTo("井盖缺失");
        assertThat(t.get("content").asText()).isEqualTo("人民路与解放路交叉口井盖缺失，夜间危险");
        assertThat(t.at("/requester/phone").asText()).isEqualTo("+8613912345678");
        assertThat(t.at("/requester/anonymous").asBoolean()).isFalse();
        assertThat(t.at("/location/address").asText()).isEqualTo("人民路88号");
        assertThat(t.get("attachments")).hasSize(2);
        assertThat(t.at("/attachments/1/url").asText()).isEqualTo("https://example.org/b.jpg");
        String stored = jdbc.queryForObject("SELECT payload FROM inbox WHERE channel_item_id = ?", String.class, itemIdFor(requestId));
        assertThat(stored).doesNotContain("session_key").doesNotContain("c2Vzc2lvbmtleQ==");
    }

    @Test
    void jscode2sessionRefusalsAnswerAClear4xxAndTicketNothing() {
        assertRefused("{\"errcode\":40029,\"errmsg\":\"invalid code, rid: 1\"}", 400, "invalid code");
        assertRefused("{\"errcode\":45011,\"errmsg\":\"api minute-quota reach limit\"}", 429, "retry after a minute");
        assertRefused("{\"errcode\":40226,\"errmsg\":\"code blocked\"}", 403, "high-risk");
        // a per-user login limit is not the app's send quota
        assertThat(weixin.api().throttle().active()).isEmpty();
    }

    @Test
    void aSubmissionWithoutCodeOrContentIsRefusedWithoutCallingWeChat() {
        HttpResponse<String> noCode = postTo(SUBMISSIONS, "{\"requestId\":\"" + UUID.randomUUID() + "\",\"content\":\"x\"}", "application/json");
        assertThat(noCode.statusCode()).isEqualTo(400);
        assertThat(noCode.body()).contains("code is required");
        HttpResponse<String> noContent = postTo(SUBMISSIONS, "{\"requestId\":\"" + UUID.randomUUID() + "\",\"code\":\"abc\"}", "application/json");
        assertThat(noContent.statusCode()).isEqualTo(400);
        assertThat(noContent.body()).contains("content is required");
        assertThat(WeixinStubs.WEIXIN.getAllServeEvents()).isEmpty();
    }

    private void assertRefused(String answer, int status, String says) {
        String code = "code-" + UUID.randomUUID();
        String requestId = UUID.randomUUID().toString();
        stubLogin(code, answer);
        HttpResponse<String> r = postTo(SUBMISSIONS, "{\"requestId\":\"" + requestId + "\",\"code\":\"" + code + "\",\"content\":\"路面塌陷\"}",
                "application/json");
        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode problem = Json.read(r.body());
        assertThat(problem.get("error").asText()).contains(says);
        assertThat(problem.get("errcode").asInt()).isEqualTo(Json.read(answer).get("errcode").asInt());
        assertThat(inboxRows(itemIdFor(requestId))).isZero();
    }

    @Test
    void aRetriedSubmissionWithTheSameRequestIdGetsTheSameReceiptAndNeverASecondTicket() {
        String code = "code-" + UUID.randomUUID();
        String requestId = UUID.randomUUID().toString();
        stubLogin(code, "{\"openid\":\"" + openId() + "\",\"session_key\":\"c2Vzc2lvbg==\"}");
        String body = "{\"requestId\":\"" + requestId + "\",\"code\":\"" + code + "\",\"content\":\"桥下积水\"}";

        HttpResponse<String> first = postTo(SUBMISSIONS, body, "application/json");
        // the mini-program did not get the answer and sends the same submission again (same wx.login code)
        HttpResponse<String> retry = postTo(SUBMISSIONS, body, "application/json");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        assertThat(Json.read(retry.body()).get("receiptId").asText()).isEqualTo(Json.read(first.body()).get("receiptId").asText());
        assertThat(Json.read(retry.body()).get("duplicate").asBoolean()).isTrue();
        // checked before jscode2session: WeChat was asked once
        WeixinStubs.WEIXIN.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/sns/jscode2session"))
                .withQueryParam("js_code", com.github.tomakehurst.wiremock.client.WireMock.equalTo(code)));
        await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemIdFor(requestId)), x -> x != null);
        assertThat(inboxRows(itemIdFor(requestId))).isEqualTo(1);
    }

    @Test
    void aSubmissionWithoutARequestIdIsRefusedWithoutCallingWeChat() {
        HttpResponse<String> r = postTo(SUBMISSIONS, "{\"code\":\"abc\",\"content\":\"x\"}", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("requestId is required");
        assertThat(WeixinStubs.WEIXIN.getAllServeEvents()).isEmpty();
    }
}
