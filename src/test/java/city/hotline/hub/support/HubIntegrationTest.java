package city.hotline.hub.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import city.hotline.hub.HotlineHubApplication;
import city.hotline.hub.relay.StatusSignature;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One hub for all integration tests (one Spring context: embedded PostgreSQL and Artemis start
 * once), with WireMock standing in for the case system and for the channels' callback endpoints.
 * Tests use their own item ids, so they never see each other's tickets.
 */
@SpringBootTest(classes = HotlineHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
public abstract class HubIntegrationTest {

    public static final String API_KEY = "test-key";
    public static final String STATUS_SECRET = "test-status-secret";
    protected static final WireMockServer CASE_SYSTEM = new WireMockServer(options().dynamicPort());
    protected static final WireMockServer CALLBACKS = new WireMockServer(options().dynamicPort());
    private static final String DATA_DIR = TestDataDirs.fresh("hub");

    static {
        CASE_SYSTEM.start();
        CALLBACKS.start();
    }

    @LocalServerPort
    protected int port;

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", () -> DATA_DIR);
        registry.add("hub.embedded-postgres.durable", () -> "false");
        registry.add("hub.api.keys", () -> API_KEY + ",second-key");
        // named API clients (issue 8, point 8): two keys for rotation, one limited to a channel it cannot use
        registry.add("hub.api.clients.city-app.keys", () -> "city-app-key-old,city-app-key-new");
        registry.add("hub.api.clients.city-app.channels", () -> "webform");
        registry.add("hub.api.clients.partner.keys", () -> "partner-key");
        registry.add("hub.api.clients.auditor.keys", () -> "auditor-key");
        registry.add("hub.api.clients.auditor.admin", () -> "true");
        registry.add("hub.api.clients.elsewhere.keys", () -> "elsewhere-key");
        registry.add("hub.api.clients.elsewhere.channels", () -> "sms");
        registry.add("hub.backends.case-system.url", () -> CASE_SYSTEM.baseUrl() + "/api");
        registry.add("hub.backends.case-system.status-secret", () -> STATUS_SECRET);
        registry.add("hub.backends.case-system.retry.initial-delay", () -> "200ms");
        registry.add("hub.backends.case-system.retry.max-delay", () -> "1s");
        registry.add("hub.relay.retry.initial-delay", () -> "200ms");
        registry.add("hub.relay.retry.max-delay", () -> "1s");
        registry.add("hub.relay.retry.max-attempts", () -> "5");
        registry.add("hub.outbox.poll-delay", () -> "200ms");
        // the test callbacks go to WireMock on localhost, refused unless listed
        registry.add("hub.channels.webform.callback-hosts", () -> "localhost");
        registry.add("hub.channels.weixin.enabled", () -> "true");
        registry.add("hub.channels.weixin.app-id", () -> WeixinStubs.APP_ID);
        registry.add("hub.channels.weixin.app-secret", () -> WeixinStubs.APP_SECRET);
        registry.add("hub.channels.weixin.token", () -> WeixinStubs.TOKEN);
        registry.add("hub.channels.weixin.encoding-aes-key", () -> WeixinStubs.AES_KEY);
        registry.add("hub.channels.weixin.api-base-url", WeixinStubs.WEIXIN::baseUrl);
        registry.add("hub.channels.weixin.reply-template-id", () -> WeixinStubs.TEMPLATE_ID);
        PollingStubs.register(registry);
    }

    @BeforeEach
    void resetStubs() {
        CASE_SYSTEM.resetAll();
        CALLBACKS.resetAll();
        CaseSystemStub.acceptEverything(CASE_SYSTEM);
        CALLBACKS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/cb/.*"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)));
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected String callbackUrl(String name) {
        return CALLBACKS.baseUrl() + "/cb/" + name;
    }

    protected HttpResponse<String> postJson(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json").header("X-Api-Key", API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    protected HttpResponse<String> postBytes(String path, byte[] body, String contentType, String apiKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            b.header("X-Api-Key", apiKey);
        }
        return send(b.build());
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("X-Api-Key", API_KEY).GET().build());
    }

    protected JsonNode getJson(String path) {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.read(r.body());
    }

    /** The health document, whatever the overall status (503 when a component is DOWN). */
    protected JsonNode health() {
        return Json.read(get("/actuator/health").body());
    }

    /** Posts a status report signed the way the case system signs it. */
    protected HttpResponse<String> postStatus(String ticketId, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + HexFormat.of().formatHex(StatusSignature.hmac(STATUS_SECRET.getBytes(StandardCharsets.UTF_8), bytes));
        return send(HttpRequest.newBuilder(URI.create(url("/api/v1/tickets/" + ticketId + "/status")))
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("request failed: " + request, e);
        }
    }

    /** The single ticket for a channel item, or null while there is none. */
    protected JsonNode ticketFor(String channel, String itemId) {
        JsonNode items = getJson("/api/v1/tickets?channel=" + channel + "&channelItemId=" + itemId).get("items");
        if (items.size() > 1) {
            throw new AssertionError("more than one ticket for " + channel + "/" + itemId + ": " + items);
        }
        return items.isEmpty() ? null : items.get(0);
    }
}
