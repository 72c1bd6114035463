package city.hotline.hub.channel.weixin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.support.WeixinStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Helpers for the WeChat channel's integration tests: signed pushes, submissions, deliveries. */
abstract class WeixinIntegrationSupport extends HubIntegrationTest {

    static final String CALLBACK = "/channels/weixin/callback";
    static final String SUBMISSIONS = "/channels/weixin/submissions";
    static final String SUBSCRIBE_SEND = "/cgi-bin/message/subscribe/send";
    static final String CUSTOM_SEND = "/cgi-bin/message/custom/send";

    @Autowired
    protected WeixinComponent weixin;
    @Autowired
    protected JdbcTemplate jdbc;

    protected final WeixinCrypto crypto = new WeixinCrypto(WeixinStubs.TOKEN, WeixinStubs.AES_KEY, WeixinStubs.APP_ID);

    @BeforeEach
    void resetWeixin() {
        WeixinStubs.WEIXIN.resetAll();
        WeixinStubs.stableToken("TOKEN_A");
        weixin.api().throttle().clear();
    }

    @AfterEach
    void noHeldDeliveriesLeftBehind() {
        weixin.api().throttle().clear();
        // deliveries a test left waiting on a quota would wake up inside a later test
        jdbc.update("UPDATE reply_delivery SET state = 'FAILED', last_error = 'test cleanup' WHERE channel = 'weixin' AND state = 'PENDING'");
    }

    static String openId() {
        return "o" + UUID.randomUUID().toString().replace("-", "").substring(0, 27);
    }

    static long msgId() {
        return 6_000_000_000_000_000_000L + (long) (Math.random() * 1e18);
    }

    static String textXml(String openId, long msgId, String content, long createTime) {
        return "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[" + openId
                + "]]></FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA["
                + content + "]]></Content><MsgId>" + msgId + "</MsgId></xml>";
    }

    static String itemId(long msgId) {
        return WeixinStubs.APP_ID + ":" + msgId;
    }

    String signedQuery(String timestamp, String nonce) {
        return "signature=" + WeixinCrypto.sha1(WeixinStubs.TOKEN, timestamp, nonce) + "&timestamp=" + timestamp + "&nonce=" + nonce
                + "&openid=x";
    }

    /** A plaintext push signed now, with a nonce of its own (as a new push from WeChat comes). */
    HttpResponse<String> pushPlain(String body, String contentType) {
        return pushPlainWith(body, contentType, now(), "n" + UUID.randomUUID().toString().replace("-", ""));
    }

    HttpResponse<String> pushPlainWith(String body, String contentType, String timestamp, String nonce) {
        return postTo(CALLBACK + "?" + signedQuery(timestamp, nonce), body, contentType);
    }

    static String now() {
        return String.valueOf(Instant.now().getEpochSecond());
    }

    HttpResponse<String> pushSafe(String innerXml, WeixinCrypto with) {
        String encrypt = with.encrypt(innerXml);
        String ts = String.valueOf(Instant.now().getEpochSecond());
        String nonce = "n" + System.nanoTime();
        String query = signedQuery(ts, nonce) + "&encrypt_type=aes&msg_signature=" + with.msgSignature(ts, nonce, encrypt);
        return postTo(CALLBACK + "?" + query, "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA["
                + encrypt + "]]></Encrypt></xml>", "text/xml");
    }

    HttpResponse<String> postTo(String pathAndQuery, String body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    HttpResponse<String> getPlain(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET().build());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A ticket from a text message sent now (so the 48-hour window is open). */
    String ticketFromMessage(String openId, String content) {
        long id = msgId();
        HttpResponse<String> r = pushPlain(textXml(openId, id, content, Instant.now().getEpochSecond()), "text/xml");
        if (!"success".equals(r.body())) {
            throw new AssertionError("push answered " + r.statusCode() + " " + r.body());
        }
        return await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemId(id)), t -> t != null).get("ticketId").asText();
    }

    /** A ticket from a mini-program submission (no message: the window stays closed). */
    String ticketFromSubmission(String openId, String content) {
        String code = "code-" + UUID.randomUUID();
        String requestId = UUID.randomUUID().toString();
        stubLogin(code, "{\"openid\":\"" + openId + "\",\"session_key\":\"c2Vzc2lvbg==\"}");
        HttpResponse<String> r = postTo(SUBMISSIONS, "{\"requestId\":\"" + requestId + "\",\"code\":\"" + code
                + "\",\"title\":\"路灯不亮\",\"content\":\"" + content + "\"}", "application/json");
        if (r.statusCode() != 202) {
            throw new AssertionError("submission answered " + r.statusCode() + " " + r.body());
        }
        String itemId = WeixinStubs.APP_ID + ":submission:" + requestId;
        return await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemId), t -> t != null).get("ticketId").asText();
    }

    static void stubLogin(String code, String answer) {
        WeixinStubs.WEIXIN.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/sns/jscode2session")).withQueryParam("js_code", equalTo(code))
                .withQueryParam("appid", equalTo(WeixinStubs.APP_ID)).withQueryParam("secret", equalTo(WeixinStubs.APP_SECRET))
                .withQueryParam("grant_type", equalTo("authorization_code")).willReturn(okJson(answer)));
    }

    void status(String ticketId, String status, String reply) {
        String body = "{\"status\":\"" + status + "\",\"at\":\"" + Instant.now() + "\"" + (reply == null ? "" : ",\"reply\":" + Json.write(reply)) + "}";
        HttpResponse<String> r = postStatus(ticketId, body);
        if (r.statusCode() != 200) {
            throw new AssertionError("status answered " + r.statusCode() + " " + r.body());
        }
    }

    JsonNode delivery(String ticketId) {
        JsonNode items = getJson("/api/v1/tickets/" + ticketId + "/deliveries").get("items");
        return items.isEmpty() ? null : items.get(items.size() - 1);
    }

    JsonNode awaitDelivery(String ticketId, String state) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> delivery(ticketId), d -> d != null && state.equals(d.get("state").asText()));
    }

    static List<LoggedRequest> sentTo(String path, String openId) {
        return WeixinStubs.WEIXIN.findAll(postRequestedFor(urlPathEqualTo(path)).withRequestBody(matchingJsonPath("$.touser", equalTo(openId))));
    }

    long inboxRows(String itemId) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM inbox WHERE channel = 'weixin' AND channel_item_id = ?", Long.class, itemId);
        return n == null ? 0 : n;
    }
}
