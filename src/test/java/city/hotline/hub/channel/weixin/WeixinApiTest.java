package city.hotline.hub.channel.weixin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import city.hotline.hub.support.TestDatabase;
import city.hotline.hub.ticket.ChannelThrottled;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.TransientFailure;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WeixinApi against WireMock and a real PostgreSQL, without Spring: token cache, single flight, errcode rules. */
class WeixinApiTest {

    private static final String SEND = "/cgi-bin/message/custom/send";
    private WireMockServer wx;
    private static HikariDataSource pool;
    private WeixinApi api;

    @BeforeAll
    static void database() {
        pool = TestDatabase.newPool("weixin-api-test");
    }

    @AfterAll
    static void closeDatabase() {
        pool.close();
    }

    @BeforeEach
    void start() {
        TestDatabase.clearChannelState();
        wx = new WireMockServer(options().dynamicPort());
        wx.start();
        api = new WeixinApi(wx.baseUrl(), "wxapp", "secret", Clock.systemUTC(), Duration.ofSeconds(120), Duration.ofSeconds(10),
                new SimpleMeterRegistry(), TestDatabase.channelState(pool));
    }

    @AfterEach
    void stop() {
        wx.stop();
    }

    private void token(String value) {
        wx.stubFor(post("/cgi-bin/stable_token").willReturn(okJson("{\"access_token\":\"" + value + "\",\"expires_in\":7200}")));
    }

    @Test
    void theTokenIsFetchedOnceWithStableTokenAndCached() {
        token("TOKEN_A");
        wx.stubFor(post(urlPathEqualTo(SEND)).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        api.post(SEND, Json.object());
        api.post(SEND, Json.object());
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/stable_token")))).hasSize(1);
        var fetch = wx.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/stable_token"))).get(0);
        assertThat(Json.read(fetch.getBodyAsString()).toString())
                .isEqualTo("{\"grant_type\":\"client_credential\",\"appid\":\"wxapp\",\"secret\":\"secret\",\"force_refresh\":false}");
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo(SEND)).withQueryParam("access_token", equalTo("TOKEN_A")))).hasSize(2);
    }

    @Test
    void twentyThreadsRefusedWithTheSameStaleTokenCauseExactlyOneRefresh() throws Exception {
        token("OLD");
        wx.stubFor(post(urlPathEqualTo(SEND)).willReturn(okJson("{\"errcode\":0}")));
        api.post(SEND, Json.object());
        wx.resetRequests();
        wx.stubFor(post("/cgi-bin/stable_token").willReturn(okJson("{\"access_token\":\"NEW\",\"expires_in\":7200}")
                .withFixedDelay(300)));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> api.tokens().refreshAfterRejection("OLD"));
        }
        List<String> tokens = new ArrayList<>();
        for (Future<String> f : pool.invokeAll(calls)) {
            tokens.add(f.get());
        }
        pool.shutdown();
        assertThat(tokens).containsOnly("NEW");
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/stable_token")))).hasSize(1);
        assertThat(api.tokens().refreshes()).isEqualTo(1);
    }

    @Test
    void anExpiredTokenMidRunIsRefreshedOnceAndTheCallReplayedOnce() {
        wx.stubFor(post("/cgi-bin/stable_token").inScenario("t").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"TOKEN_A\",\"expires_in\":7200}")).willSetStateTo("B"));
        wx.stubFor(post("/cgi-bin/stable_token").inScenario("t").whenScenarioStateIs("B")
                .willReturn(okJson("{\"access_token\":\"TOKEN_B\",\"expires_in\":7200}")));
        wx.stubFor(post(urlPathEqualTo(SEND)).withQueryParam("access_token", equalTo("TOKEN_A"))
                .willReturn(okJson("{\"errcode\":42001,\"errmsg\":\"access_token expired rid: 6299e87e-5ed9e599-0d046b47\"}")));
        wx.stubFor(post(urlPathEqualTo(SEND)).withQueryParam("access_token", equalTo("TOKEN_B")).willReturn(okJson("{\"errcode\":0}")));

        api.post(SEND, Json.object());

        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/stable_token")))).hasSize(2);
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo(SEND)))).hasSize(2);
        assertThat(api.tokens().refreshes()).isEqualTo(1);
    }

    @Test
    void the40001ErrmsgWithCommasAndAUrlTriggersTheSameRefresh() {
        token("TOKEN_A");
        wx.stubFor(post(urlPathEqualTo(SEND)).inScenario("s").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(okJson("{\"errcode\":40001,\"errmsg\":\"invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r\"}"))
                .willSetStateTo("ok"));
        wx.stubFor(post(urlPathEqualTo(SEND)).inScenario("s").whenScenarioStateIs("ok").willReturn(okJson("{\"errcode\":0}")));
        api.post(SEND, Json.object());
        assertThat(api.tokens().refreshes()).isEqualTo(1);
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo(SEND)))).hasSize(2);
        // WeChat returned the same token in normal mode: a forced refresh was asked for
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/stable_token"))
                .withRequestBody(matchingJsonPath("$.force_refresh", equalTo("true"))))).hasSize(1);
    }

    @Test
    void minuteQuotaOnSendHoldsEveryFurtherCallWithoutATokenRefresh() {
        token("TOKEN_A");
        wx.stubFor(post(urlPathEqualTo(SEND)).willReturn(okJson(
                "{\"errcode\":45011,\"errmsg\":\"api minute-quota reach limit, must slower, retry next minute rid: 5fb1e22f-15e0407f-00233e18\"}")));
        assertThatThrownBy(() -> api.post(SEND, Json.object())).isInstanceOf(ChannelThrottled.class);
        assertThatThrownBy(() -> api.post(SEND, Json.object())).isInstanceOf(ChannelThrottled.class)
                .satisfies(e -> assertThat(((ChannelThrottled) e).until().getEpochSecond() % 60).isZero());
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo(SEND)))).hasSize(1);
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/stable_token")))).hasSize(1);
        assertThat(api.throttle().active()).get().extracting(WeixinThrottle.Hold::errcode).isEqualTo(45011);
    }

    @Test
    void dailyQuotaOnStableTokenHoldsTheAppUntilTheNextDay() {
        wx.stubFor(post("/cgi-bin/stable_token").willReturn(okJson(
                "{\"errcode\":45009,\"errmsg\":\"reach max api daily quota limit rid: 67319658-6bdf12f9-2ecb8196\"}")));
        assertThatThrownBy(() -> api.post(SEND, Json.object())).isInstanceOf(ChannelThrottled.class);
        assertThat(api.throttle().active()).get().extracting(WeixinThrottle.Hold::until)
                .isEqualTo(WeixinThrottle.liftsAt(45009, api.throttle().active().get().since()));
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo(SEND)))).isEmpty();
    }

    @Test
    void systemBusyIsTransientAndRefusalsArePermanentWithTheReason() {
        token("TOKEN_A");
        wx.stubFor(post(urlPathEqualTo(SEND)).willReturn(okJson("{\"errcode\":-1,\"errmsg\":\"system error\"}")));
        assertThatThrownBy(() -> api.post(SEND, Json.object())).isExactlyInstanceOf(TransientFailure.class).hasMessageContaining("-1");
        wx.stubFor(post(urlPathEqualTo(SEND)).willReturn(okJson("{\"errcode\":47003,\"errmsg\":\"argument invalid! data.thing1.value is empty rid: 64b67d10-41990089-63b86d0d\"}")));
        assertThatThrownBy(() -> api.post(SEND, Json.object())).isInstanceOf(WeixinApiException.class)
                .hasMessageContaining("mapping error").hasMessageContaining("'thing1'")
                .satisfies(e -> assertThat(((WeixinApiException) e).field()).isEqualTo("thing1"));
        wx.stubFor(post(urlPathEqualTo(SEND)).willReturn(aResponse().withStatus(502)));
        assertThatThrownBy(() -> api.post(SEND, Json.object())).isExactlyInstanceOf(TransientFailure.class).hasMessageContaining("502");
        assertThat(api.tokens().refreshes()).isZero();
    }

    @Test
    void wrongCredentialsAreReportedForTheOperator() {
        wx.stubFor(post("/cgi-bin/stable_token").willReturn(okJson("{\"errcode\":40125,\"errmsg\":\"invalid appsecret\"}")));
        assertThatThrownBy(() -> api.post(SEND, Json.object())).isInstanceOf(TransientFailure.class);
        assertThat(api.credentialsProblem()).contains("40125").contains("app-secret");
    }
}
