package city.hotline.hub.support;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/** WeChat's server API (api.weixin.qq.com) as WireMock, for the weixin channel's integration tests. */
public final class WeixinStubs {

    public static final WireMockServer WEIXIN = new WireMockServer(options().dynamicPort());
    public static final String APP_ID = "wx5f3c2b1a09e8d7c6";
    public static final String APP_SECRET = "test-app-secret-0123456789abcdef";
    public static final String TOKEN = "AAAAA";
    public static final String AES_KEY = "Qm9ndXNLZXlGb3JIb3RsaW5lSHViVGVzdHMwMTIzNDU";
    public static final String TEMPLATE_ID = "tmpl-status-notice";

    static {
        WEIXIN.start();
    }

    private WeixinStubs() {
    }

    public static void stableToken(String token) {
        WEIXIN.stubFor(post("/cgi-bin/stable_token").willReturn(okJson("{\"access_token\":\"" + token + "\",\"expires_in\":7200}")));
    }
}
