package city.hotline.hub.channel.weixin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Issue 8, point 2: WeChat pushes that would exhaust memory are refused before any parser expands them. */
class WeixinHostilePushTest extends WeixinIntegrationSupport {

    @Test
    void aBillionLaughsPushIsRefusedWithoutExpandingItsEntities() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY l0 \"ha\">");
        for (int i = 1; i <= 10; i++) {
            dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]><xml><ToUserName>gh</ToUserName><FromUserName>oLaugh</FromUserName><CreateTime>1</CreateTime>"
                + "<MsgType>text</MsgType><Content>&l10;</Content><MsgId>4712</MsgId></xml>");
        long before = System.nanoTime();

        HttpResponse<String> r = push(dtd.toString());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("DOCTYPE");
        assertThat((System.nanoTime() - before) / 1_000_000).as("milliseconds to refuse").isLessThan(5_000);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE channel = 'weixin' AND channel_item_id = ?", Long.class, itemId(4712))).isZero();
    }

    @Test
    void aPushWithAHugeCdataIsRefused413BeforeItIsRead() {
        String huge = textXml(openId(), 4713, "长".repeat(1_000_000), Instant.now().getEpochSecond());

        HttpResponse<String> r = push(huge);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("hub.intake.max-body-bytes");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE channel = 'weixin' AND channel_item_id = ?", Long.class, itemId(4713))).isZero();
    }

    private HttpResponse<String> push(String xml) {
        String ts = String.valueOf(Instant.now().getEpochSecond());
        return postTo(CALLBACK + "?" + signedQuery(ts, "n" + System.nanoTime()), xml, "text/xml");
    }
}
