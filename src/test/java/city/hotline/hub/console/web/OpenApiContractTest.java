package city.hotline.hub.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 13 point 8: docs/openapi.yaml describes the running API. Every /api route of the hub (Spring
 * MVC controllers and Camel platform-http routes) is in the spec, every operation of the spec is called
 * here, and each answer's status is documented and its body validates against the documented schema.
 */
class OpenApiContractTest extends HubIntegrationTest {

    private static final JsonNode SPEC = load();

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mvc;

    @Autowired
    CamelContext camel;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    QuarantineStore quarantine;

    private final Set<String> called = new TreeSet<>();

    @Test
    void everyApiRouteOfTheHubIsInTheSpec() {
        Set<String> routes = new TreeSet<>();
        for (RequestMappingInfo info : mvc.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/api/")) {
                    info.getMethodsCondition().getMethods().forEach(m -> routes.add(m.name().toLowerCase(Locale.ROOT) + " " + pattern));
                }
            }
        }
        for (Route route : camel.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (uri.startsWith("platform-http:")) {
                String path = java.net.URLDecoder.decode(uri.substring("platform-http:".length()), StandardCharsets.UTF_8)
                        .replaceFirst("^/+", "/").replaceFirst("\\?.*$", "");
                if (path.startsWith("/api/")) {
                    routes.add("post " + path);
                }
            }
        }
        assertThat(routes).contains("post /api/v1/intake/{channel}", "post /api/v1/tickets/{ticketId}/status", "get /api/v1/tickets/{ticketId}");
        assertThat(operations()).containsAll(routes);
    }

    @Test
    void everyOperationAnswersWhatTheSpecSays() {
        String externalId = "openapi-" + UUID.randomUUID();
        String submission = "{\"externalId\":\"" + externalId + "\",\"content\":\"井盖缺失\",\"callbackUrl\":\"" + callbackUrl(externalId) + "\"}";
        check("post", "/api/v1/intake/{channel}", "/api/v1/intake/webform", submission, API_KEY, "application/json", 202);
        check("post", "/api/v1/intake/{channel}", "/api/v1/intake/webform", "{\"content\":1}", API_KEY, "application/json", 400);
        check("post", "/api/v1/intake/{channel}", "/api/v1/intake/webform", submission, null, "application/json", 401);
        check("post", "/api/v1/intake/{channel}", "/api/v1/intake/nowhere", submission, API_KEY, "application/json", 404);
        check("post", "/api/v1/intake/{channel}", "/api/v1/intake/webform", submission, API_KEY, "text/plain", 415);
        String ticketId = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList("""
                SELECT t.ticket_id FROM ticket t JOIN ticket_origin o ON o.ticket_id = t.ticket_id
                WHERE o.channel_item_id = ? AND t.status = 'FORWARDED'""", String.class, externalId), l -> l.size() == 1).get(0);

        check("get", "/api/v1/tickets", "/api/v1/tickets?channel=webform&channelItemId=" + externalId, null, API_KEY, null, 200);
        check("get", "/api/v1/tickets", "/api/v1/tickets", null, "not-a-key", null, 401);
        check("get", "/api/v1/tickets/{ticketId}", "/api/v1/tickets/" + ticketId, null, API_KEY, null, 200);
        check("get", "/api/v1/tickets/{ticketId}", "/api/v1/tickets/T-none", null, API_KEY, null, 404);

        String status = withTicketId(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00+08:00\",\"handlingUnit\":\"市政\"}");
        validate("post", "/api/v1/tickets/{ticketId}/status", postStatus(ticketId, status));
        validate("post", "/api/v1/tickets/{ticketId}/status", postStatusWithHeaders(ticketId, status));
        validate("post", "/api/v1/tickets/{ticketId}/status", postStatus(ticketId, withTicketId(ticketId, "{\"status\":\"DONE\",\"at\":\"2026-11-28T10:00:00Z\"}")));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM reply_delivery WHERE ticket_id = ? AND state = 'SENT'", Long.class, ticketId) == 1);

        check("get", "/api/v1/tickets/{ticketId}/history", "/api/v1/tickets/" + ticketId + "/history", null, API_KEY, null, 200);
        check("get", "/api/v1/tickets/{ticketId}/deliveries", "/api/v1/tickets/" + ticketId + "/deliveries", null, API_KEY, null, 200);
        long delivery = jdbc.queryForObject("SELECT id FROM reply_delivery WHERE ticket_id = ?", Long.class, ticketId);
        check("post", "/api/v1/tickets/deliveries/{deliveryId}/retry", "/api/v1/tickets/deliveries/" + delivery + "/retry", "", API_KEY,
                "application/json", 409);

        long item = quarantine.add("case-system", QuarantineStore.Stage.STATUS, null, ticketId, "arrived before its ticket",
                withTicketId(ticketId, "{\"status\":\"IN_PROGRESS\",\"at\":\"2026-11-28T11:00:00+08:00\"}"));
        check("get", "/api/v1/quarantine", "/api/v1/quarantine", null, API_KEY, null, 200);
        check("get", "/api/v1/quarantine", "/api/v1/quarantine", null, VIEWER_KEY, null, 403);
        check("post", "/api/v1/quarantine/{id}/replay", "/api/v1/quarantine/" + item + "/replay", "", API_KEY, "application/json", 202);
        check("post", "/api/v1/quarantine/{id}/replay", "/api/v1/quarantine/" + item + "/replay", "", API_KEY, "application/json", 409);

        // only the refusal: a real token replacement would change the shared hub's Weibo state for other tests
        check("post", "/api/v1/channels/weibo/token", "/api/v1/channels/weibo/token", "{}", API_KEY, "application/json", 400);

        // channel files and dry runs (issue 14), the split of a merged origin (issue 11): admin only
        check("get", "/api/v1/channels", "/api/v1/channels", null, API_KEY, null, 200);
        check("get", "/api/v1/channels", "/api/v1/channels", null, VIEWER_KEY, null, 403);
        check("post", "/api/v1/channels/{name}/dry-run", "/api/v1/channels/webform/dry-run?status=REPLIED", submission, API_KEY,
                "application/json", 200);
        check("post", "/api/v1/channels/{name}/dry-run", "/api/v1/channels/nowhere/dry-run", submission, API_KEY, "application/json", 404);
        String split = "/api/v1/tickets/" + ticketId + "/origins/webform/";
        check("post", "/api/v1/tickets/{ticketId}/origins/{channel}/{channelItemId}/split", split + externalId + "/split", "", VIEWER_KEY,
                "application/json", 403);
        check("post", "/api/v1/tickets/{ticketId}/origins/{channel}/{channelItemId}/split", split + "no-such-item/split", "", API_KEY,
                "application/json", 404);

        assertThat(called).containsExactlyInAnyOrderElementsOf(operations());
    }

    private void check(String method, String specPath, String path, String body, String apiKey, String contentType, int expected) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)));
        if (apiKey != null) {
            b.header("X-Api-Key", apiKey);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method.toUpperCase(Locale.ROOT), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> r = send(b.build());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        validate(method, specPath, r);
    }

    private void validate(String method, String specPath, HttpResponse<String> r) {
        JsonNode operation = SPEC.path("paths").path(specPath).path(method);
        assertThat(operation.isMissingNode()).as(method + " " + specPath + " in docs/openapi.yaml").isFalse();
        called.add(method + " " + specPath);
        JsonNode response = resolve(operation.path("responses").path(String.valueOf(r.statusCode())));
        assertThat(response.isMissingNode()).as(method + " " + specPath + " documents status " + r.statusCode() + " (" + r.body() + ")").isFalse();
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return;
        }
        Set<ValidationMessage> errors = schema(schema).validate(Json.read(r.body()));
        assertThat(errors).as(method + " " + specPath + " " + r.statusCode() + " answered " + r.body()).isEmpty();
    }

    /** The response schema as a JSON Schema 2020-12 document, the spec's components as its $defs. */
    private static JsonSchema schema(JsonNode schema) {
        ObjectNode doc = Json.object();
        doc.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        doc.set("$defs", SPEC.path("components").path("schemas"));
        doc.setAll((ObjectNode) schema);
        String text = Json.write(doc).replace("#/components/schemas/", "#/$defs/");
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Json.read(text));
    }

    private static JsonNode resolve(JsonNode node) {
        if (node.has("$ref")) {
            String[] parts = node.get("$ref").asText().substring(2).split("/");
            JsonNode out = SPEC;
            for (String p : parts) {
                out = out.path(p);
            }
            return out;
        }
        return node;
    }

    private static Set<String> operations() {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> paths = SPEC.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            SPEC.path("paths").path(path).fieldNames().forEachRemaining(m -> out.add(m + " " + path));
        }
        return out;
    }

    private static JsonNode load() {
        try {
            Object yaml = new Yaml().load(Files.readString(Path.of("docs", "openapi.yaml")));
            return Json.MAPPER.valueToTree(yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
