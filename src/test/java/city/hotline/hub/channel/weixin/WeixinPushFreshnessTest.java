package city.hotline.hub.channel.weixin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import city.hotline.hub.support.WeixinStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Issue 8, points 5 and 12: WeChat pushes must be fresh, a nonce is not reusable, retried events count once. */
class WeixinPushFreshnessTest extends WeixinIntegrationSupport {

    @Test
    void aPushWhoseTimestampIsMoreThanFiveMinutesOffIsRefusedWith403AndStoresNothing() {
        long now = Instant.now().getEpochSecond();
        // well past the 300 s window: with 301 a second ticking between here and the hub's check made it 300
        for (long ts : new long[] {now - 360, now + 360}) {
            long id = msgId();
            HttpResponse<String> r = pushPlainWith(textXml(openId(), id, "过期的推送", now), "text/xml", String.valueOf(ts), "n" + UUID.randomUUID());
            assertThat(r.statusCode()).as("timestamp %d", ts).isEqualTo(403);
            assertThat(r.body()).isEmpty();
            assertThat(inboxRows(itemId(id))).isZero();
        }
    }

    @Test
    void urlVerificationWithAStaleTimestampIsRefusedWith403() {
        // a correctly signed query string, but logged ten minutes ago
        String ts = String.valueOf(Instant.now().getEpochSecond() - 600);
        HttpResponse<String> r = getPlain(CALLBACK + "?signature=" + WeixinCrypto.sha1(WeixinStubs.TOKEN, ts, "77")
                + "&echostr=4375120948345356249&timestamp=" + ts + "&nonce=77");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void aNonceSeenAgainWithTheSameBodyIsWeChatsRetryAndIsAnsweredAsTheFirst() {
        String ts = now();
        String nonce = "n" + UUID.randomUUID();
        long id = msgId();
        String xml = textXml(openId(), id, "重试的推送", Instant.now().getEpochSecond());

        HttpResponse<String> first = pushPlainWith(xml, "text/xml", ts, nonce);
        HttpResponse<String> retry = pushPlainWith(xml, "text/xml", ts, nonce);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("success");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo("success");
        assertThat(inboxRows(itemId(id))).isEqualTo(1);
        // shared by every instance: the nonce is in PostgreSQL, with the answer and an expiry
        assertThat(jdbc.queryForObject("SELECT answer FROM weixin_push_nonce WHERE nonce = ? AND expires_at > now()", String.class, nonce))
                .isEqualTo("success");
    }

    @Test
    void aNonceSeenAgainWithAnotherBodyIsRefusedWith403() {
        String ts = now();
        String nonce = "n" + UUID.randomUUID();
        assertThat(pushPlainWith(textXml(openId(), msgId(), "原来的推送", Instant.now().getEpochSecond()), "text/xml", ts, nonce).body())
                .isEqualTo("success");

        // the same signed query string (token, timestamp, nonce) with a forged body
        long forged = msgId();
        HttpResponse<String> r = pushPlainWith(textXml(openId(), forged, "伪造的推送", Instant.now().getEpochSecond()), "text/xml", ts, nonce);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(inboxRows(itemId(forged))).isZero();
    }

    @Test
    void aRetryOfAnUnreadablePushIsAnsweredAsTheFirstAndQuarantinedOnce() {
        String ts = now();
        String nonce = "n" + UUID.randomUUID();
        String body = "<xml><MsgType>text</MsgType><Content>未闭合" + UUID.randomUUID() + "</xml>";
        long before = quarantined(body);

        HttpResponse<String> first = pushPlainWith(body, "text/xml", ts, nonce);
        HttpResponse<String> retry = pushPlainWith(body, "text/xml", ts, nonce);

        assertThat(first.statusCode()).isEqualTo(400);
        assertThat(retry.statusCode()).isEqualTo(400);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(quarantined(body)).isEqualTo(before + 1);
    }

    @Test
    void aRetriedEventIsStoredOnceAndCountedOnce() {
        String openId = openId();
        long createTime = Instant.now().getEpochSecond();
        String xml = "<xml><ToUserName>gh_0123456789ab</ToUserName><FromUserName>" + openId + "</FromUserName><CreateTime>" + createTime
                + "</CreateTime><MsgType>event</MsgType><Event>CLICK</Event><EventKey>report</EventKey></xml>";
        double before = eventCount("CLICK");

        // WeChat's three attempts (each its own request)
        for (int i = 0; i < 3; i++) {
            assertThat(pushPlain(xml, "text/xml").body()).isEqualTo("success");
        }

        assertThat(eventCount("CLICK")).isEqualTo(before + 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM weixin_event WHERE openid = ? AND create_time = ? AND event = 'CLICK'",
                Long.class, openId, createTime)).isEqualTo(1);
    }

    private long quarantined(String body) {
        return jdbc.queryForObject("SELECT count(*) FROM quarantine WHERE channel = 'weixin' AND payload LIKE ?", Long.class,
                "%" + body.substring(body.indexOf("未闭合")).replace("</xml>", "") + "%");
    }

    private double eventCount(String event) {
        JsonNode m = Json.read(get("/actuator/metrics/hub.weixin.events?tag=event:" + event).body());
        return m.has("measurements") ? m.get("measurements").get(0).get("value").asDouble() : 0;
    }
}
