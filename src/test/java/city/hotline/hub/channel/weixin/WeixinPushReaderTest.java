package city.hotline.hub.channel.weixin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WeixinPushReaderTest {

    private final WeixinCrypto crypto = new WeixinCrypto(WeixinTestKeys.TOKEN, WeixinTestKeys.AES_KEY, WeixinTestKeys.APP_ID);
    private final WeixinPushReader reader = new WeixinPushReader(crypto);

    static final String TEXT_XML = """
            <xml>
              <ToUserName><![CDATA[gh_123]]></ToUserName>
              <FromUserName><![CDATA[oFTYt0l9wQDDhwmx1js_d1T6zZkw]]></FromUserName>
              <CreateTime>1348831860</CreateTime>
              <MsgType><![CDATA[text]]></MsgType>
              <Content><![CDATA[this is a test]]></Content>
              <MsgId>6574261948839470964</MsgId>
            </xml>""";

    private Map<String, String> signed(String timestamp, String nonce) {
        Map<String, String> q = new HashMap<>();
        q.put("timestamp", timestamp);
        q.put("nonce", nonce);
        q.put("signature", WeixinCrypto.sha1(WeixinTestKeys.TOKEN, timestamp, nonce));
        return q;
    }

    @Test
    void urlVerificationWithTheT_W1VectorAnswersTheEchostrVerbatim() {
        WeixinPushReader tw1 = new WeixinPushReader(new WeixinCrypto("AAAAA", null, "wx"));
        Map<String, String> q = Map.of("signature", "f464b24fc39322e44b38aa78f5edd27bd1441696", "echostr", "4375120948345356249",
                "timestamp", "1714036504", "nonce", "1514711492");
        assertThat(tw1.verify(q)).isEqualTo("4375120948345356249");
        Map<String, String> bad = new HashMap<>(q);
        bad.put("nonce", "1514711493");
        assertThatThrownBy(() -> tw1.verify(bad)).isInstanceOf(WeixinPushReader.Rejected.class)
                .matches(e -> ((WeixinPushReader.Rejected) e).status() == 403);
    }

    @Test
    void safeModeVerificationDecryptsTheEchostr() {
        String echo = crypto.encrypt("8723912873981");
        Map<String, String> q = Map.of("timestamp", "1", "nonce", "2", "echostr", echo,
                "msg_signature", crypto.msgSignature("1", "2", echo));
        assertThat(reader.verify(q)).isEqualTo("8723912873981");
    }

    @Test
    void aPlaintextXmlMessageIsReadWithItsMsgIdAsExactText() {
        WeixinMessage m = reader.read(signed("1", "2"), TEXT_XML);
        assertThat(m.msgType()).isEqualTo("text");
        assertThat(m.text("Content")).isEqualTo("this is a test");
        assertThat(m.itemId("wxapp")).isEqualTo("wxapp:6574261948839470964");
        assertThat(m.createTime()).isEqualTo(1348831860L);
        assertThat(m.encrypted()).isFalse();
    }

    @Test
    void aJsonModeMsgIdOfNineteenDigitsLosesNoPrecision() {
        String json = "{\"ToUserName\":\"gh_1\",\"FromUserName\":\"oUser\",\"CreateTime\":1482048670,\"MsgType\":\"text\","
                + "\"Content\":\"路灯坏了\",\"MsgId\":9223372036854775807,\"Lat\":23.134521}";
        WeixinMessage m = reader.read(signed("1", "2"), json);
        assertThat(m.text("MsgId")).isEqualTo("9223372036854775807");
        assertThat(m.fields().get("MsgId").isTextual()).isTrue();
        assertThat(m.text("CreateTime")).isEqualTo("1482048670");
        assertThat(m.text("Lat")).isEqualTo("23.134521");
        // a double would have made it ...775808
        assertThat((double) 9223372036854775807L).isEqualTo(9.223372036854775807E18);
    }

    @Test
    void aSafeModeXmlBodyIsDecryptedAndItsFieldsRead() {
        String encrypt = crypto.encrypt(TEXT_XML);
        Map<String, String> q = signed("1409304348", "abc");
        q.put("encrypt_type", "aes");
        q.put("msg_signature", crypto.msgSignature("1409304348", "abc", encrypt));
        WeixinMessage m = reader.read(q, "<xml><ToUserName><![CDATA[gh_123]]></ToUserName><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>");
        assertThat(m.encrypted()).isTrue();
        assertThat(m.text("Content")).isEqualTo("this is a test");
    }

    @Test
    void aSafeModeJsonBodyWithTheT_W4CiphertextDecrypts() {
        WeixinPushReader tw4 = new WeixinPushReader(new WeixinCrypto("pamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6"));
        String encrypt = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";
        // the T-W4 plaintext is not a message; the reader reports that after the signature and decryption passed
        Map<String, String> q = new HashMap<>(Map.of("encrypt_type", "aes", "timestamp", "1", "nonce", "2",
                "msg_signature", WeixinCrypto.sha1("pamtest", "1", "2", encrypt)));
        assertThatThrownBy(() -> tw4.read(q, "{\"ToUserName\":\"gh_1\",\"Encrypt\":\"" + encrypt + "\"}"))
                .isInstanceOf(WeixinPushReader.Rejected.class).hasMessageContaining("neither XML nor JSON");
    }

    @Test
    void compatibleModeWithoutEncryptTypeReadsThePlaintextFields() {
        String encrypt = crypto.encrypt(TEXT_XML.replace("this is a test", "cipher side"));
        String body = TEXT_XML.replace("</xml>", "<Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>");
        assertThat(reader.read(signed("1", "2"), body).text("Content")).isEqualTo("this is a test");
        Map<String, String> q = signed("1", "2");
        q.put("encrypt_type", "aes");
        q.put("msg_signature", crypto.msgSignature("1", "2", encrypt));
        assertThat(reader.read(q, body).text("Content")).isEqualTo("cipher side");
    }

    @Test
    void aTamperedMsgSignatureIsRefusedWith403() {
        String encrypt = crypto.encrypt(TEXT_XML);
        Map<String, String> q = signed("1", "2");
        q.put("encrypt_type", "aes");
        q.put("msg_signature", crypto.msgSignature("1", "3", encrypt));
        assertThatThrownBy(() -> reader.read(q, "<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>"))
                .isInstanceOf(WeixinPushReader.Rejected.class).hasMessageContaining("msg_signature")
                .matches(e -> ((WeixinPushReader.Rejected) e).status() == 403);
    }

    @Test
    void aMessageEncryptedForAnotherAppIdIsRefusedWith403() {
        String encrypt = new WeixinCrypto(WeixinTestKeys.TOKEN, WeixinTestKeys.AES_KEY, "wxffffffffffffffff").encrypt(TEXT_XML);
        Map<String, String> q = signed("1", "2");
        q.put("encrypt_type", "aes");
        q.put("msg_signature", crypto.msgSignature("1", "2", encrypt));
        assertThatThrownBy(() -> reader.read(q, "<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>"))
                .isInstanceOf(WeixinPushReader.Rejected.class).hasMessageContaining("wxffffffffffffffff")
                .matches(e -> ((WeixinPushReader.Rejected) e).status() == 403);
    }

    @Test
    void aPlaintextPushWithoutAValidSignatureIsRefused() {
        Map<String, String> q = signed("1", "2");
        q.put("signature", "0000");
        assertThatThrownBy(() -> reader.read(q, TEXT_XML)).matches(e -> ((WeixinPushReader.Rejected) e).status() == 403);
        assertThatThrownBy(() -> reader.read(Map.of(), TEXT_XML)).matches(e -> ((WeixinPushReader.Rejected) e).status() == 403);
    }

    @Test
    void anXxePayloadIsRejectedBeforeAnyEntityIsResolved() throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("xxe", ".txt");
        java.nio.file.Files.writeString(secret, "TOP-SECRET-MARKER");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<xml><MsgType>text</MsgType><Content>&x;</Content><MsgId>1</MsgId></xml>";
        assertThatThrownBy(() -> reader.read(signed("1", "2"), xxe)).isInstanceOf(WeixinPushReader.Rejected.class)
                .hasMessageContaining("DOCTYPE").hasMessageNotContaining("TOP-SECRET-MARKER")
                .matches(e -> ((WeixinPushReader.Rejected) e).status() == 400 && ((WeixinPushReader.Rejected) e).authenticated());
        assertThatThrownBy(() -> WeixinXml.read(xxe)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTimestampMoreThanFiveMinutesFromNowIsNotFresh() {
        java.time.Instant now = java.time.Instant.ofEpochSecond(1_800_000_000L);
        java.time.Duration five = java.time.Duration.ofMinutes(5);
        WeixinPushReader.checkFresh(Map.of("timestamp", "1800000300"), now, five);
        WeixinPushReader.checkFresh(Map.of("timestamp", "1799999700"), now, five);
        for (String ts : new String[] {"1800000301", "1799999699", "abc"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> WeixinPushReader.checkFresh(Map.of("timestamp", ts), now, five))
                    .isInstanceOfSatisfying(WeixinPushReader.Rejected.class, r -> assertThat(r.status()).isEqualTo(403));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WeixinPushReader.checkFresh(Map.of(), now, five))
                .isInstanceOf(WeixinPushReader.Rejected.class);
    }
}
