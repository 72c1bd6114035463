package city.hotline.hub.channel.weixin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.support.WeixinStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Issue 3, intake 1: WeChat's message push at /channels/weixin/callback. */
class WeixinPushTest extends WeixinIntegrationSupport {

    @Test
    void urlVerificationEchoesTheEchostrAsPlainText() {
        // the T_W1 vector itself (timestamp 1714036504) is checked in WeixinPushReaderTest; here it must be fresh
        String ts = now();
        HttpResponse<String> ok = getPlain(CALLBACK + "?signature=" + WeixinCrypto.sha1(WeixinStubs.TOKEN, ts, "1514711492")
                + "&echostr=4375120948345356249&timestamp=" + ts + "&nonce=1514711492");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("4375120948345356249");
        assertThat(ok.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");

        HttpResponse<String> bad = getPlain(CALLBACK + "?signature=" + WeixinCrypto.sha1(WeixinStubs.TOKEN, ts, "1514711492")
                + "&echostr=4375120948345356249&timestamp=" + (Long.parseLong(ts) + 1) + "&nonce=1514711492");
        assertThat(bad.statusCode()).isEqualTo(403);
        assertThat(bad.body()).isEmpty();
    }

    @Test
    void safeModeUrlVerificationAnswersTheDecryptedEchostr() {
        String echo = crypto.encrypt("5927638749327493");
        String ts = now();
        HttpResponse<String> r = getPlain(CALLBACK + "?timestamp=" + ts + "&nonce=2&echostr=" + enc(echo) + "&msg_signature="
                + crypto.msgSignature(ts, "2", echo));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("5927638749327493");
    }

    @Test
    void threeIdenticalPushesOfOneMessageBecomeOneTicketSentOnce() throws Exception {
        String openId = openId();
        long id = msgId();
        String xml = textXml(openId, id, "小区门口路灯坏了一个月", 1348831860);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Callable<HttpResponse<String>>> pushes = List.of(() -> pushPlain(xml, "text/xml"), () -> pushPlain(xml, "text/xml"),
                () -> pushPlain(xml, "text/xml"));
        for (Future<HttpResponse<String>> f : pool.invokeAll(pushes)) {
            assertThat(f.get().statusCode()).isEqualTo(200);
            assertThat(f.get().body()).isEqualTo("success");
        }
        pool.shutdown();

        JsonNode ticket = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemId(id)),
                t -> t != null && "FORWARDED".equals(t.get("status").asText()));
        assertThat(inboxRows(itemId(id))).isEqualTo(1);
        assertThat(CaseSystemStub.ticketsReceived(CASE_SYSTEM, ticket.get("ticketId").asText())).hasSize(1);
        assertThat(ticket.get("content").asText()).isEqualTo("小区门口路灯坏了一个月");
        assertThat(ticket.at("/origins/0/channelUserId").asText()).isEqualTo(openId);
        assertThat(ticket.at("/origins/0/receivedAt").asText()).startsWith("2012-09-28T11:31:00");
        assertThat(ticket.at("/requester/identities/0/id").asText()).isEqualTo(openId);
        // a retry after the ticket exists still answers success and adds nothing
        assertThat(pushPlain(xml, "text/xml").body()).isEqualTo("success");
        assertThat(inboxRows(itemId(id))).isEqualTo(1);
    }

    @Test
    void aSafeModePushEncryptedWithOurKeyIsDecryptedAndTicketed() {
        String openId = openId();
        long id = msgId();
        HttpResponse<String> r = pushSafe(textXml(openId, id, "加密模式的投诉：噪音扰民", Instant.now().getEpochSecond()), crypto);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("success");
        JsonNode ticket = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemId(id)), t -> t != null);
        assertThat(ticket.get("content").asText()).isEqualTo("加密模式的投诉：噪音扰民");
    }

    @Test
    void aTamperedMsgSignatureIsRefusedWith403AndStoresNothing() {
        long id = msgId();
        String encrypt = crypto.encrypt(textXml(openId(), id, "篡改", 1));
        String ts = now();
        String query = signedQuery(ts, "2") + "&encrypt_type=aes&msg_signature=" + crypto.msgSignature(ts, "2", encrypt + "x");
        HttpResponse<String> r = postTo(CALLBACK + "?" + query, "<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>", "text/xml");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEmpty();
        assertThat(inboxRows(itemId(id))).isZero();
    }

    @Test
    void aPushEncryptedForAnotherAppIdIsRefusedAndStoresNothing() {
        long id = msgId();
        WeixinCrypto otherApp = new WeixinCrypto(WeixinStubs.TOKEN, WeixinStubs.AES_KEY, "wx0000000000000000");
        HttpResponse<String> r = pushSafe(textXml(openId(), id, "别的应用", 1), otherApp);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(inboxRows(itemId(id))).isZero();
    }

    @Test
    void aPlaintextPushWithABadSignatureIsRefused() {
        long id = msgId();
        HttpResponse<String> r = postTo(CALLBACK + "?signature=0123&timestamp=" + now() + "&nonce=2", textXml(openId(), id, "x", 1), "text/xml");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(inboxRows(itemId(id))).isZero();
    }

    @Test
    void anXxePushIsRejectedQuarantinedAndReadsNoFileNorUrl() throws Exception {
        Path secret = Files.createTempFile("xxe-secret", ".txt");
        Files.writeString(secret, "XXE-MARKER-4711");
        WeixinStubs.WEIXIN.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/xxe.dtd"))
                .willReturn(aResponse().withBody("<!ENTITY y 'fetched'>")));
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">"
                + "<!ENTITY % remote SYSTEM \"" + WeixinStubs.WEIXIN.baseUrl() + "/xxe.dtd\"> %remote;]>"
                + "<xml><ToUserName>gh</ToUserName><FromUserName>oX</FromUserName><CreateTime>1</CreateTime>"
                + "<MsgType>text</MsgType><Content>&x;</Content><MsgId>4711</MsgId></xml>";

        HttpResponse<String> r = pushPlain(xxe, "text/xml");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("DOCTYPE").doesNotContain("XXE-MARKER-4711");
        assertThat(inboxRows(itemId(4711))).isZero();
        assertThat(WeixinStubs.WEIXIN.findAll(anyRequestedFor(anyUrl()))).isEmpty();
        JsonNode q = await().atMost(Duration.ofSeconds(5)).until(this::lastWeixinQuarantine, n -> n != null
                && n.get("reason").asText().contains("DOCTYPE"));
        assertThat(q.get("stage").asText()).isEqualTo("INTAKE");
        String stored = jdbc.queryForObject("SELECT payload FROM quarantine WHERE id = ?", String.class, q.get("id").asLong());
        assertThat(stored).contains("<!DOCTYPE").doesNotContain("XXE-MARKER-4711");
        // replaying it parses it again with the same hardened parser: still refused
        HttpResponse<String> replay = postJson("/api/v1/quarantine/" + q.get("id").asLong() + "/replay", "{}");
        assertThat(replay.statusCode()).isEqualTo(422);
        assertThat(replay.body()).contains("DOCTYPE");
    }

    @Test
    void aJsonModeMessageKeepsItsNineteenDigitMsgIdExactly() {
        String openId = openId();
        String json = "{\"ToUserName\":\"gh_0123456789ab\",\"FromUserName\":\"" + openId + "\",\"CreateTime\":1482048670,"
                + "\"MsgType\":\"text\",\"Content\":\"小程序客服消息\",\"MsgId\":9007199254740993123}";
        HttpResponse<String> r = pushPlain(json, "application/json");
        assertThat(r.body()).isEqualTo("success");
        String itemId = WeixinStubs.APP_ID + ":9007199254740993123";
        JsonNode ticket = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemId), t -> t != null);
        assertThat(ticket.at("/origins/0/channelItemId").asText()).isEqualTo(itemId);
        assertThat(ticket.at("/origins/0/receivedAt").asText()).startsWith("2016-12-18T08:11:10");
    }

    @Test
    void imageVoiceAndLocationMessagesBecomeAttachmentsTextAndLocation() {
        String openId = openId();
        long image = msgId();
        long voice = msgId();
        long silentVoice = msgId();
        long location = msgId();
        String head = "<xml><ToUserName>gh_0123456789ab</ToUserName><FromUserName>" + openId + "</FromUserName><CreateTime>1700000000</CreateTime>";
        assertThat(pushPlain(head + "<MsgType>image</MsgType><PicUrl>https://mmbiz.qpic.cn/pic.jpg</PicUrl><MediaId>media-1</MediaId><MsgId>"
                + image + "</MsgId></xml>", "text/xml").body()).isEqualTo("success");
        assertThat(pushPlain(head + "<MsgType>voice</MsgType><MediaId>media-2</MediaId><Format>amr</Format><Recognition>垃圾三天没人收</Recognition><MsgId>"
                + voice + "</MsgId></xml>", "text/xml").body()).isEqualTo("success");
        assertThat(pushPlain(head + "<MsgType>voice</MsgType><MediaId>media-3</MediaId><Format>amr</Format><MsgId>"
                + silentVoice + "</MsgId></xml>", "text/xml").body()).isEqualTo("success");
        assertThat(pushPlain(head + "<MsgType>location</MsgType><Location_X>28.128</Location_X><Location_Y>112.983</Location_Y><Scale>15</Scale>"
                + "<Label>长沙市岳麓区潇楚南路</Label><MsgId>" + location + "</MsgId></xml>", "text/xml").body()).isEqualTo("success");

        JsonNode img = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemId(image)), t -> t != null);
        assertThat(img.at("/attachments/0/url").asText()).isEqualTo("https://mmbiz.qpic.cn/pic.jpg");
        assertThat(img.at("/attachments/0/channelMediaId").asText()).isEqualTo("media-1");
        JsonNode v = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemId(voice)), t -> t != null);
        assertThat(v.get("content").asText()).isEqualTo("垃圾三天没人收");
        assertThat(v.at("/attachments/0/mediaType").asText()).isEqualTo("audio/amr");
        JsonNode sv = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemId(silentVoice)), t -> t != null);
        assertThat(sv.get("content").asText()).contains("语音");
        JsonNode loc = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemId(location)), t -> t != null);
        assertThat(loc.at("/location/address").asText()).isEqualTo("长沙市岳麓区潇楚南路");
        assertThat(loc.at("/location/coordinates/lat").asDouble()).isEqualTo(28.128);
        assertThat(loc.at("/location/coordinates/lon").asDouble()).isEqualTo(112.983);
    }

    @Test
    void eventsAreAnsweredAndCountedButNotTicketed() {
        String openId = openId();
        double before = eventCount("subscribe");
        String xml = "<xml><ToUserName>gh_0123456789ab</ToUserName><FromUserName>" + openId + "</FromUserName><CreateTime>1700000001</CreateTime>"
                + "<MsgType>event</MsgType><Event>subscribe</Event></xml>";
        HttpResponse<String> r = pushPlain(xml, "text/xml");
        assertThat(r.body()).isEqualTo("success");
        assertThat(eventCount("subscribe")).isEqualTo(before + 1);
        assertThat(inboxRows(WeixinStubs.APP_ID + ":event:" + openId + ":1700000001:subscribe")).isZero();
    }

    @Test
    void theAnswerDoesNotWaitForASlowCaseSystemAndTheMessageIsDurableWhenSuccessIsSent() {
        long id = msgId();
        CASE_SYSTEM.stubFor(post(urlEqualTo("/api/tickets")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.origins[0].channelItemId", equalTo(itemId(id))))
                .willReturn(aResponse().withStatus(201).withFixedDelay(6000).withBody("{}")));

        long start = System.nanoTime();
        HttpResponse<String> r = pushPlain(textXml(openId(), id, "下游很慢也要及时应答", Instant.now().getEpochSecond()), "text/xml");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.body()).isEqualTo("success");
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        // committed before the answer: another connection sees it at once (it survives a stop right now)
        assertThat(inboxRows(itemId(id))).isEqualTo(1);
        JsonNode ticket = await().atMost(Duration.ofSeconds(30)).until(() -> ticketFor("weixin", itemId(id)),
                t -> t != null && "FORWARDED".equals(t.get("status").asText()));
        assertThat(CaseSystemStub.ticketsReceived(CASE_SYSTEM, ticket.get("ticketId").asText())).hasSize(1);
    }

    @Test
    void aQuarantinedRawPushThatIsReadableIsStoredByTheReplay() {
        long id = msgId();
        String raw = Json.write(WeixinPushConsumer.rawRequest(java.util.Map.of("signature",
                WeixinCrypto.sha1(WeixinStubs.TOKEN, "1", "2"), "timestamp", "1", "nonce", "2"), textXml(openId(), id, "重放后可读", 1700000000)));
        long q = jdbc.queryForObject("INSERT INTO quarantine (channel, stage, reason, payload) VALUES ('weixin', 'INTAKE', 'test', ?) RETURNING id",
                Long.class, raw);

        HttpResponse<String> replay = postJson("/api/v1/quarantine/" + q + "/replay", "{}");

        assertThat(replay.statusCode()).isEqualTo(202);
        JsonNode ticket = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("weixin", itemId(id)), t -> t != null);
        assertThat(ticket.get("content").asText()).isEqualTo("重放后可读");
    }

    private double eventCount(String event) {
        JsonNode m = Json.read(get("/actuator/metrics/hub.weixin.events?tag=event:" + event).body());
        return m.has("measurements") ? m.get("measurements").get(0).get("value").asDouble() : 0;
    }

    private JsonNode lastWeixinQuarantine() {
        for (JsonNode q : getJson("/api/v1/quarantine").get("items")) {
            if ("weixin".equals(q.path("channel").asText())) {
                return q;
            }
        }
        return null;
    }
}
