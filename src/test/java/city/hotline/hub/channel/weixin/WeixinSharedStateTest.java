package city.hotline.hub.channel.weixin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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

import city.hotline.hub.store.ChannelStateStore;
import city.hotline.hub.support.TestDatabase;
import city.hotline.hub.ticket.ChannelThrottled;
import city.hotline.hub.ticket.Json;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two hub instances of one WeChat app, each with its own {@link WeixinApi} and its own connection
 * pool on the same PostgreSQL (as two processes would be): they share the access token (one fetch,
 * one refresh for both, counted at the stub) and the quota hold.
 */
class WeixinSharedStateTest {

    private static final String SEND = "/cgi-bin/message/custom/send";
    private static final String STABLE_TOKEN = "/cgi-bin/stable_token";
    private WireMockServer wx;
    private HikariDataSource pool1;
    private HikariDataSource pool2;
    private WeixinApi hub1;
    private WeixinApi hub2;

    @BeforeEach
    void twoInstances() {
        TestDatabase.clearChannelState();
        wx = new WireMockServer(options().dynamicPort());
        wx.start();
        pool1 = TestDatabase.newPool("hub-1");
        pool2 = TestDatabase.newPool("hub-2");
        hub1 = instance(pool1);
        hub2 = instance(pool2);
    }

    private WeixinApi instance(HikariDataSource pool) {
        return new WeixinApi(wx.baseUrl(), "wxshared", "secret", Clock.systemUTC(), Duration.ofSeconds(120), Duration.ofSeconds(10),
                new SimpleMeterRegistry(), TestDatabase.channelState(pool));
    }

    @AfterEach
    void stop() {
        wx.stop();
        pool1.close();
        pool2.close();
    }

    private int tokenFetches() {
        return wx.findAll(postRequestedFor(urlPathEqualTo(STABLE_TOKEN))).size();
    }

    private static <T> List<T> concurrently(List<Callable<T>> calls) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(calls.size());
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> f : threads.invokeAll(calls)) {
                results.add(f.get());
            }
            return results;
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void twoInstancesStartingTogetherFetchTheTokenOnceAndBothSendWithIt() throws Exception {
        // slow enough that both instances ask while the first fetch is still running
        wx.stubFor(post(STABLE_TOKEN).willReturn(okJson("{\"access_token\":\"TOKEN_A\",\"expires_in\":7200}").withFixedDelay(300)));
        wx.stubFor(post(urlPathEqualTo(SEND)).willReturn(okJson("{\"errcode\":0}")));
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            WeixinApi api = i % 2 == 0 ? hub1 : hub2;
            calls.add(() -> api.post(SEND, Json.object()));
        }

        concurrently(calls);

        assertThat(tokenFetches()).isEqualTo(1);
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo(SEND)).withQueryParam("access_token", equalTo("TOKEN_A")))).hasSize(6);
        assertThat(hub2.tokens().expiresAt()).isEqualTo(hub1.tokens().expiresAt()).isNotNull();
    }

    @Test
    void aTokenRejectedOnBothInstancesIsRefreshedOnceForBoth() throws Exception {
        wx.stubFor(post(STABLE_TOKEN).willReturn(okJson("{\"access_token\":\"OLD\",\"expires_in\":7200}")));
        assertThat(hub1.tokens().current()).isEqualTo("OLD");
        assertThat(hub2.tokens().current()).isEqualTo("OLD");
        wx.resetRequests();
        wx.stubFor(post(STABLE_TOKEN).willReturn(okJson("{\"access_token\":\"NEW\",\"expires_in\":7200}").withFixedDelay(300)));
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            WeixinApi api = i % 2 == 0 ? hub1 : hub2;
            calls.add(() -> api.tokens().refreshAfterRejection("OLD"));
        }

        List<String> replayedWith = concurrently(calls);

        assertThat(replayedWith).containsOnly("NEW");
        assertThat(tokenFetches()).isEqualTo(1);
        assertThat(hub1.tokens().refreshes() + hub2.tokens().refreshes()).isEqualTo(1);
        // neither instance goes on with the token the other one replaced
        assertThat(hub1.tokens().current()).isEqualTo("NEW");
        assertThat(hub2.tokens().current()).isEqualTo("NEW");
        assertThat(tokenFetches()).isEqualTo(1);
    }

    @Test
    void aQuotaHoldRecordedByOneInstanceHoldsTheOtherUntilCleared() {
        wx.stubFor(post(STABLE_TOKEN).willReturn(okJson("{\"access_token\":\"TOKEN_A\",\"expires_in\":7200}")));
        wx.stubFor(post(urlPathEqualTo(SEND)).willReturn(okJson(
                "{\"errcode\":45011,\"errmsg\":\"api minute-quota reach limit, must slower, retry next minute rid: 5fb1e22f-15e0407f-00233e18\"}")));

        assertThatThrownBy(() -> hub1.post(SEND, Json.object())).isInstanceOf(ChannelThrottled.class);
        assertThatThrownBy(() -> hub2.post(SEND, Json.object())).isInstanceOf(ChannelThrottled.class)
                .hasMessageContaining("held until");

        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo(SEND)))).as("the held instance sent nothing").hasSize(1);
        assertThat(hub2.throttle().active()).get().extracting(WeixinThrottle.Hold::errcode).isEqualTo(45011);

        wx.stubFor(post(urlPathEqualTo(SEND)).willReturn(okJson("{\"errcode\":0}")));
        hub2.throttle().clear();
        hub1.post(SEND, Json.object());
        assertThat(wx.findAll(postRequestedFor(urlPathEqualTo(SEND)))).hasSize(2);
    }

    @Test
    void refusedCredentialsSeenByOneInstanceAreReportedByBothUntilAFetchSucceeds() {
        wx.stubFor(post(STABLE_TOKEN).willReturn(okJson("{\"errcode\":40164,\"errmsg\":\"invalid ip 203.0.113.7, not in whitelist\"}")));
        assertThatThrownBy(() -> hub1.post(SEND, Json.object())).hasMessageContaining("40164");
        assertThat(hub2.credentialsProblem()).contains("40164").contains("IP whitelist");

        wx.stubFor(post(STABLE_TOKEN).willReturn(okJson("{\"access_token\":\"TOKEN_A\",\"expires_in\":7200}")));
        wx.stubFor(post(urlPathEqualTo(SEND)).willReturn(okJson("{\"errcode\":0}")));
        hub2.post(SEND, Json.object());
        assertThat(hub1.credentialsProblem()).isNull();
    }

    @Test
    void theStoredTokenIsNeitherInToStringNorReadableThroughTheHold() {
        wx.stubFor(post(STABLE_TOKEN).willReturn(okJson("{\"access_token\":\"SECRET_TOKEN_VALUE\",\"expires_in\":7200}")));
        hub1.tokens().current();
        ChannelStateStore store = TestDatabase.channelState(pool2);
        assertThat(store.token("weixin", "wxshared")).get().asString().doesNotContain("SECRET_TOKEN_VALUE");
        assertThat(store.token("weixin", "wxshared").get().value()).isEqualTo("SECRET_TOKEN_VALUE");
    }
}
