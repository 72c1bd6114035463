package city.hotline.hub.channel.national;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;


import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A WireMock province implementing the adapter contract of docs/national-adapter.md under
 * {@code /prov}, and the check every test makes of the hub's requests: each one carries the app
 * key, a fresh timestamp, a nonce and the right HMAC-SHA256 signature (computed here, not by the hub's code).
 */
public final class NationalStubs {

    public static final WireMockServer NATIONAL = new WireMockServer(options().dynamicPort());
    public static final String APP_KEY = "test-national-app";
    public static final String APP_SECRET = "test-national-secret";
    public static final String BASE = "/prov";
    public static final String EMPTY_PAGE = "{\"cases\":[],\"nextCursor\":null}";

    static {
        NATIONAL.start();
        defaults();
    }

    private NationalStubs() {
    }

    /** The lines HubIntegrationTest.hubProperties adds for the national channel. */
    public static void register(DynamicPropertyRegistry r) {
        r.add("hub.channels.national.enabled", () -> "true");
        r.add("hub.channels.national.api-base-url", () -> NATIONAL.baseUrl() + BASE);
        r.add("hub.channels.national.app-key", () -> APP_KEY);
        r.add("hub.channels.national.app-secret", () -> APP_SECRET);
        r.add("hub.channels.national.poll-interval", () -> "150ms");
        r.add("hub.channels.national.initial-delay", () -> "200");
        r.add("hub.channels.national.receipt-within", () -> "3s");
        r.add("hub.channels.national.response-timeout-millis", () -> "1500");
        r.add("hub.channels.national.backoff.initial-delay", () -> "200ms");
        r.add("hub.channels.national.backoff.max-delay", () -> "1s");
        r.add("hub.channels.national.receipt-retry.initial-delay", () -> "200ms");
        r.add("hub.channels.national.receipt-retry.max-delay", () -> "1s");
    }

    public static void defaults() {
        NATIONAL.stubFor(get(urlPathEqualTo(BASE + "/cases")).atPriority(100).willReturn(okJson(EMPTY_PAGE)));
        NATIONAL.stubFor(post(urlPathMatching(BASE + "/cases/[^/]+/(receipt|feedback)")).atPriority(100)
                .willReturn(okJson("{\"code\":0,\"message\":\"ok\"}")));
    }

    /** GET /cases, without since ({@code since} null) or with it. */
    public static MappingBuilder cases(String since) {
        return get(urlPathEqualTo(BASE + "/cases")).atPriority(1)
                .withQueryParam("since", since == null ? absent() : equalTo(since));
    }

    public static StubMapping page(String since, String body) {
        return NATIONAL.stubFor(cases(since).willReturn(okJson(body)));
    }

    public static List<LoggedRequest> receipts(String caseNo) {
        return NATIONAL.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathEqualTo(BASE + "/cases/" + caseNo + "/receipt")));
    }

    public static List<LoggedRequest> feedbacks(String caseNo) {
        return NATIONAL.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathEqualTo(BASE + "/cases/" + caseNo + "/feedback")));
    }

    /** Every request the hub sent is signed: app key, timestamp within a minute, a nonce used once, the HMAC. */
    public static void assertAllSigned() {
        List<LoggedRequest> all = NATIONAL.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(urlPathMatching(".*")));
        assertThat(all).isNotEmpty();
        assertThat(all.stream().map(r -> r.getHeader("X-Nonce")).distinct().count()).as("a new nonce for every request")
                .isEqualTo(all.size());
        for (LoggedRequest r : all) {
            assertSigned(r);
        }
    }

    public static void assertSigned(LoggedRequest r) {
        String what = r.getMethod() + " " + r.getUrl();
        assertThat(r.getHeader("X-App-Key")).as(what).isEqualTo(APP_KEY);
        String timestamp = r.getHeader("X-Timestamp");
        assertThat(timestamp).as(what).matches("[0-9]{10}");
        assertThat(Math.abs(Long.parseLong(timestamp) - r.getLoggedDate().toInstant().getEpochSecond())).as(what).isLessThanOrEqualTo(60);
        assertThat(Long.parseLong(timestamp)).isLessThanOrEqualTo(Instant.now().getEpochSecond());
        String nonce = r.getHeader("X-Nonce");
        assertThat(nonce).as(what).matches("[0-9a-f]{32}");
        String body = new String(r.getBody(), StandardCharsets.UTF_8);
        assertThat(r.getHeader("X-Signature")).as(what).isEqualTo(ExpectedSignature.hmac(APP_SECRET, APP_KEY + timestamp + nonce + body));
    }
}
