package city.hotline.hub.channel.weixin;

/** Our own test app: a random EncodingAESKey (43 characters, letters and digits as WeChat generates them). */
public final class WeixinTestKeys {
    public static final String APP_ID = "wx5f3c2b1a09e8d7c6";
    public static final String APP_SECRET = "test-app-secret-0123456789abcdef";
    public static final String TOKEN = "hotlineTestToken";
    public static final String AES_KEY = "Qm9ndXNLZXlGb3JIb3RsaW5lSHViVGVzdHMwMTIzNDU";

    private WeixinTestKeys() {
    }
}
