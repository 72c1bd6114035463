package city.hotline.hub.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

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
    /** A client without admin or ops (hub.api.clients.viewer). */
    public static final String VIEWER_KEY = "viewer-key";
    public static final String CTI_SECRET = "test-cti-secret";
    public static final String CTI_PATH_TOKEN = "test-cti-path-token";
    protected static final WireMockServer CASE_SYSTEM = new WireMockServer(options().dynamicPort());
    protected static final WireMockServer CALLBACKS = new WireMockServer(options().dynamicPort());
    private static final String DATA_DIR = TestDataDirs.fresh("hub");
    /** hub.channels.dir of the shared hub: empty until a test copies a channel's files in (issue 14). */
    protected static final String CHANNELS_DIR = TestDataDirs.fresh("channels");
    /** The signing secret of the guide's file channel app12345 (docs/channel-onboarding.md). */
    public static final String APP12345_SECRET = "app12345-test-signing-secret";

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
        registry.add("hub.api.clients.viewer.keys", () -> VIEWER_KEY);
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
        MailStubs.register(registry);
        city.hotline.hub.channel.national.NationalStubs.register(registry);
        // phone channel (issue 9): signed pushes, a path token, the SMS gateway on the callbacks' WireMock
        registry.add("hub.channels.cti.enabled", () -> "true");
        registry.add("hub.channels.cti.webhook-secret", () -> CTI_SECRET);
        registry.add("hub.channels.cti.path-token", () -> CTI_PATH_TOKEN);
        registry.add("hub.sms.api-base-url", () -> CALLBACKS.baseUrl() + "/sms/");
        registry.add("hub.sms.template-id", () -> "SMS_12345");
        registry.add("hub.sms.access-key", () -> "test-sms-key");
        registry.add("hub.sms.access-secret", () -> "test-sms-secret");
        // the FreeSWITCH event-socket stub of FreeswitchEventSocketTest (its route is started by that test)
        registry.add("hub.channels.cti.freeswitch.port", () -> city.hotline.hub.channel.cti.EslStub.PORT);
        registry.add("hub.channels.cti.freeswitch.password", () -> city.hotline.hub.channel.cti.EslStub.PASSWORD);
        registry.add("hub.channels.cti.freeswitch.reconnect-interval-millis", () -> "300");
        RoutingStubs.register(registry);
        // tests here post the same texts under new ids and expect a ticket each; merging has its own
        // context (dedup.DedupIntegrationTest)
        registry.add("hub.dedup.enabled", () -> "false");
        // channels defined by files (issue 14): the watched directory and the guide channel's settings
        registry.add("hub.channels.dir", () -> CHANNELS_DIR);
        registry.add("hub.channels.scan-interval", () -> "300ms");
        registry.add("hub.channels.app12345.secret", () -> APP12345_SECRET);
        registry.add("hub.channels.app12345.reply-url", () -> CALLBACKS.baseUrl() + "/app12345/replies");
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

    /**
     * Posts a status report the way the case system does (docs/status-webhook.md): the body names the
     * ticket (added here when a test's body is an object without {@code ticketId}), signed the
     * Standard Webhooks way with a new {@code webhook-id} and the current time.
     */
    protected HttpResponse<String> postStatus(String ticketId, String body) {
        return postStatusSigned(ticketId, withTicketId(ticketId, body), "msg_" + UUID.randomUUID(), Instant.now().getEpochSecond());
    }

    /** Posts a status report signed with the given webhook id and timestamp (Unix seconds). */
    protected HttpResponse<String> postStatusSigned(String ticketId, String body, String webhookId, long timestamp) {
        String signature = StatusSignature.sign(STATUS_SECRET, webhookId, timestamp, body);
        return postStatusWithHeaders(ticketId, body, "webhook-id", webhookId, "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", signature);
    }

    /** Posts a status report with exactly these headers (name, value, ...). */
    protected HttpResponse<String> postStatusWithHeaders(String ticketId, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/api/v1/tickets/" + ticketId + "/status")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    protected static String withTicketId(String ticketId, String body) {
        try {
            JsonNode node = Json.read(body);
            if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o && !o.has("ticketId")) {
                com.fasterxml.jackson.databind.node.ObjectNode out = Json.object();
                out.put("ticketId", ticketId);
                out.setAll(o);
                return Json.write(out);
            }
        } catch (RuntimeException notJson) {
            // sent as it is
        }
        return body;
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
