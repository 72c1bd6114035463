package city.hotline.hub.dedup;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.HotlineHubApplication;
import city.hotline.hub.relay.StatusSignature;
import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.support.PollingStubs;
import city.hotline.hub.support.TestDataDirs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A hub with near-duplicate merging on, for all dedup tests (one Spring context). It does not extend
 * HubIntegrationTest: that context turns merging off for the other tests, and a subclass cannot
 * override its dynamic properties. It has its own WireMock case system, callbacks and message board,
 * so while it stays cached it never touches the stubs other tests count requests on.
 */
@SpringBootTest(classes = HotlineHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class DedupIntegrationTest {

    protected static final String API_KEY = "dedup-test-key";
    protected static final String VIEWER_KEY = "dedup-viewer-key";
    protected static final String STATUS_SECRET = "dedup-test-status-secret";
    protected static final String FORUM = "9101";
    /** hub.dedup.max-origins here (default 50): small enough for a test to fill a ticket */
    protected static final int MAX_ORIGINS = 15;
    protected static final WireMockServer CASE_SYSTEM = new WireMockServer(options().dynamicPort());
    protected static final WireMockServer CALLBACKS = new WireMockServer(options().dynamicPort());
    protected static final WireMockServer BOARD = new WireMockServer(options().dynamicPort());
    private static final String DATA_DIR = TestDataDirs.fresh("dedup");

    static {
        CASE_SYSTEM.start();
        CALLBACKS.start();
        BOARD.start();
        boardDefaults();
    }

    @LocalServerPort
    protected int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void dedupProperties(DynamicPropertyRegistry r) {
        r.add("hub.data-dir", () -> DATA_DIR);
        r.add("hub.embedded-postgres.durable", () -> "false");
        r.add("hub.dedup.enabled", () -> "true");
        r.add("hub.dedup.max-origins", () -> Integer.toString(MAX_ORIGINS));
        r.add("hub.api.keys", () -> API_KEY);
        r.add("hub.api.clients.viewer.keys", () -> VIEWER_KEY);
        r.add("hub.backends.case-system.url", () -> CASE_SYSTEM.baseUrl() + "/api");
        r.add("hub.backends.case-system.status-secret", () -> STATUS_SECRET);
        r.add("hub.backends.case-system.retry.initial-delay", () -> "200ms");
        r.add("hub.backends.case-system.retry.max-delay", () -> "1s");
        r.add("hub.relay.retry.initial-delay", () -> "200ms");
        r.add("hub.relay.retry.max-delay", () -> "1s");
        r.add("hub.outbox.poll-delay", () -> "200ms");
        r.add("hub.channels.webform.callback-hosts", () -> "localhost");
        r.add("hub.channels.board.enabled", () -> "true");
        r.add("hub.channels.board.api-base-url", BOARD::baseUrl);
        r.add("hub.channels.board.forums", () -> FORUM);
        r.add("hub.channels.board.poll-interval", () -> "150ms");
        r.add("hub.channels.board.initial-delay", () -> "200");
        r.add("hub.channels.board.backfill", () -> "3650d");
        r.add("hub.channels.board.recheck-interval", () -> "300ms");
        r.add("hub.channels.board.reply-url", () -> BOARD.baseUrl() + "/board/reply");
        r.add("hub.channels.board.backoff.initial-delay", () -> "200ms");
        r.add("hub.channels.board.backoff.max-delay", () -> "1s");
    }

    @BeforeEach
    void resetStubs() {
        CASE_SYSTEM.resetAll();
        CALLBACKS.resetAll();
        CaseSystemStub.acceptEverything(CASE_SYSTEM);
        CALLBACKS.stubFor(post(urlPathMatching("/cb/.*")).willReturn(aResponse().withStatus(200)));
        boardDefaults();
    }

    private static void boardDefaults() {
        BOARD.stubFor(post(urlPathEqualTo("/threads/queryThreadsList")).atPriority(100).willReturn(okJson(PollingStubs.EMPTY_PAGE)));
        BOARD.stubFor(post(urlPathEqualTo("/board/reply")).atPriority(100).willReturn(okJson("{\"result\":\"success\"}")));
    }

    /** The board API's answer to the forum's request for the page after {@code lastItem}. */
    protected static void stubForum(String lastItem, String body) {
        BOARD.stubFor(post(urlPathEqualTo("/threads/queryThreadsList")).atPriority(1)
                .withFormParam("fid", com.github.tomakehurst.wiremock.client.WireMock.equalTo(FORUM))
                .withFormParam("lastItem", com.github.tomakehurst.wiremock.client.WireMock.equalTo(lastItem))
                .willReturn(okJson(body)));
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected String callbackUrl(String name) {
        return CALLBACKS.baseUrl() + "/cb/" + name;
    }

    protected HttpResponse<String> postJson(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json").header("X-Api-Key", API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    /**
     * Two web-form reports of the same text, two hours apart: waits until {@code first} is a forwarded ticket
     * and {@code second} has joined it (with {@code secondCallbackUrl}, if any, for its replies); the ticket's id.
     */
    protected String mergedPair(String first, String second, String text, String secondCallbackUrl) {
        postWebform(first, text, "2026/11/22 08:00:00", null);
        String ticketId = await().atMost(Duration.ofSeconds(30))
                .until(() -> ticketFor("webform", first), t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
        postWebform(second, text, "2026/11/22 10:00:00", secondCallbackUrl);
        await().atMost(Duration.ofSeconds(30)).until(() -> ticketFor("webform", second), t -> t != null && ticketId.equals(t.get("ticketId").asText()));
        return ticketId;
    }

    private void postWebform(String externalId, String content, String submittedAt, String callbackUrl) {
        Map<String, Object> form = new LinkedHashMap<>(Map.of("externalId", externalId, "content", content, "submittedAt", submittedAt));
        if (callbackUrl != null) {
            form.put("callbackUrl", callbackUrl);
        }
        HttpResponse<String> r = postJson("/api/v1/intake/webform", Json.write(form));
        if (r.statusCode() != 202) {
            throw new AssertionError("the web form answered " + r.statusCode() + ": " + r.body());
        }
    }

    protected JsonNode getJson(String path) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url(path))).header("X-Api-Key", API_KEY).GET().build());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.read(r.body());
    }

    /** A status report signed the way the case system signs it (docs/status-webhook.md). */
    protected HttpResponse<String> postStatus(String ticketId, String body) {
        com.fasterxml.jackson.databind.node.ObjectNode b = Json.readObject(body);
        b.put("ticketId", ticketId);
        String json = Json.write(b);
        String id = "msg_" + UUID.randomUUID();
        long ts = Instant.now().getEpochSecond();
        return send(HttpRequest.newBuilder(URI.create(url("/api/v1/tickets/" + ticketId + "/status")))
                .header("Content-Type", "application/json").header("webhook-id", id).header("webhook-timestamp", Long.toString(ts))
                .header("webhook-signature", StatusSignature.sign(STATUS_SECRET, id, ts, json))
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("request failed: " + request, e);
        }
    }

    /** The single ticket holding a channel item, or null while there is none. */
    protected JsonNode ticketFor(String channel, String itemId) {
        JsonNode items = getJson("/api/v1/tickets?channel=" + channel + "&channelItemId=" + itemId).get("items");
        if (items.size() > 1) {
            throw new AssertionError("more than one ticket for " + channel + "/" + itemId + ": " + items);
        }
        return items.isEmpty() ? null : items.get(0);
    }
}
