package city.hotline.hub.channel.weixin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class WeixinCryptoTest {

    /** T-W4 (channels.md §1.4, WxJava's WxCryptUtilTest). */
    private static final String TW4_TOKEN = "pamtest";
    private static final String TW4_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private static final String TW4_APPID = "wxb11529c136998cb6";
    private static final String TW4_CIPHER = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";

    @Test
    void theT_W1VectorVerifies() {
        WeixinCrypto crypto = new WeixinCrypto("AAAAA", null, "wx");
        assertThat(WeixinCrypto.sha1("AAAAA", "1714036504", "1514711492")).isEqualTo("f464b24fc39322e44b38aa78f5edd27bd1441696");
        assertThat(crypto.verifySignature("f464b24fc39322e44b38aa78f5edd27bd1441696", "1714036504", "1514711492")).isTrue();
        assertThat(crypto.verifySignature("f464b24fc39322e44b38aa78f5edd27bd1441697", "1714036504", "1514711492")).isFalse();
        assertThat(crypto.verifySignature(null, "1714036504", "1514711492")).isFalse();
    }

    @Test
    void encryptingTheT_W4InputsGivesTheGoldenCiphertextAndItDecryptsBack() {
        WeixinCrypto crypto = new WeixinCrypto(TW4_TOKEN, TW4_KEY, TW4_APPID);
        String cipher = crypto.encrypt("aaaabbbbccccdddd".getBytes(StandardCharsets.UTF_8), "我是中文abcd123");
        assertThat(cipher).isEqualTo(TW4_CIPHER);
        assertThat(crypto.decrypt(TW4_CIPHER)).isEqualTo("我是中文abcd123");
    }

    @Test
    void paddingUsesThirtyTwoByteBlocksWhichJavasPkcs5PaddingRejects() throws Exception {
        // 16 random + 4 length + 28 message + 18 appid = 66 bytes: a 32-byte block needs 30 (0x1E) pad bytes
        WeixinCrypto crypto = new WeixinCrypto(TW4_TOKEN, TW4_KEY, TW4_APPID);
        String cipher = crypto.encrypt("aaaabbbbccccdddd".getBytes(StandardCharsets.UTF_8), "x".repeat(28));
        byte[] key = Base64.getDecoder().decode(TW4_KEY + "=");
        javax.crypto.Cipher raw = javax.crypto.Cipher.getInstance("AES/CBC/NoPadding");
        raw.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.IvParameterSpec(key, 0, 16));
        byte[] plain = raw.doFinal(Base64.getDecoder().decode(cipher));
        assertThat(plain).hasSize(96);
        assertThat(plain[plain.length - 1]).isEqualTo((byte) 0x1E);
        javax.crypto.Cipher pkcs5 = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding");
        pkcs5.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.IvParameterSpec(key, 0, 16));
        assertThatThrownBy(() -> pkcs5.doFinal(Base64.getDecoder().decode(cipher))).isInstanceOf(javax.crypto.BadPaddingException.class);
        assertThat(crypto.decrypt(cipher)).isEqualTo("x".repeat(28));
    }

    @Test
    void aRoundTripWithOurOwnKeyKeepsMessagesOfEveryLengthIncludingBlockAligned() {
        WeixinCrypto crypto = new WeixinCrypto("tok", WeixinTestKeys.AES_KEY, WeixinTestKeys.APP_ID);
        for (int n = 0; n < 70; n++) {
            String msg = "<xml><Content><![CDATA[" + "噪".repeat(n) + "]]></Content></xml>";
            assertThat(crypto.decrypt(crypto.encrypt(msg))).isEqualTo(msg);
        }
    }

    @Test
    void aMessageForAnotherAppIsRefused() {
        String cipher = new WeixinCrypto("tok", WeixinTestKeys.AES_KEY, "wx0000000000000000").encrypt("<xml/>");
        WeixinCrypto ours = new WeixinCrypto("tok", WeixinTestKeys.AES_KEY, WeixinTestKeys.APP_ID);
        assertThatThrownBy(() -> ours.decrypt(cipher)).isInstanceOf(WeixinCrypto.WeixinCryptoException.class)
                .hasMessageContaining("wx0000000000000000").matches(e -> ((WeixinCrypto.WeixinCryptoException) e).wrongReceiver());
    }

    @Test
    void ciphertextUnderAnotherKeyIsRefusedNotReturnedAsGarbage() {
        String cipher = new WeixinCrypto("tok", TW4_KEY, WeixinTestKeys.APP_ID).encrypt("<xml/>");
        WeixinCrypto ours = new WeixinCrypto("tok", WeixinTestKeys.AES_KEY, WeixinTestKeys.APP_ID);
        assertThatThrownBy(() -> ours.decrypt(cipher)).isInstanceOf(WeixinCrypto.WeixinCryptoException.class);
    }

    @Test
    void msgSignatureCoversTheCiphertext() {
        WeixinCrypto crypto = new WeixinCrypto(TW4_TOKEN, TW4_KEY, TW4_APPID);
        String sig = crypto.msgSignature("1409304348", "xxxxxx", TW4_CIPHER);
        assertThat(sig).isEqualTo(WeixinCrypto.sha1(TW4_TOKEN, "1409304348", "xxxxxx", TW4_CIPHER));
        assertThat(crypto.verifyMsgSignature(sig, "1409304348", "xxxxxx", TW4_CIPHER)).isTrue();
        assertThat(crypto.verifyMsgSignature(sig, "1409304348", "xxxxxx", TW4_CIPHER.replace('j', 'k'))).isFalse();
    }
}
