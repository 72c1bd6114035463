package city.hotline.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Supplier;

import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Bad input at the door: a 4xx that names the problem, and nothing stored. */
class IntakeRejectionTest extends HubIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void malformedJsonIsRefusedWithTheParserMessage() {
        assertRefused(() -> postJson("/api/v1/intake/webform", "{\"externalId\":\"a\",\"content\":"), 400, "malformed JSON");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed() {
        assertRefused(() -> postJson("/api/v1/intake/webform", "{\"externalId\":42,\"content\":\"x\"}"), 400, "$.externalId: integer found, string expected");
        assertRefused(() -> postJson("/api/v1/intake/webform", "{\"externalId\":\"a\",\"content\":\"x\",\"requester\":\"张三\"}"), 400, "$.requester");
        assertRefused(() -> postJson("/api/v1/intake/webform", "[1,2]"), 400, "expected a JSON object");
    }

    @Test
    void missingExternalIdOrContentIsNamed() {
        assertRefused(() -> postJson("/api/v1/intake/webform", "{\"content\":\"x\"}"), 400, "required property 'externalId' not found");
        assertRefused(() -> postJson("/api/v1/intake/webform", "{\"externalId\":\"" + UUID.randomUUID() + "\"}"), 400, "required property 'content' not found");
    }

    @Test
    void contentOverTheConfiguredLimitIsRefused() {
        String content = "噪".repeat(20_001);
        assertRefused(() -> postJson("/api/v1/intake/webform", "{\"externalId\":\"long\",\"content\":\"" + content + "\"}"), 413,
                "content has 20001 characters; the limit is 20000");
    }

    @Test
    void contentExactlyAtTheLimitIsAccepted() {
        String content = "噪".repeat(20_000);
        HttpResponse<String> r = postJson("/api/v1/intake/webform", "{\"externalId\":\"" + UUID.randomUUID() + "\",\"content\":\"" + content + "\"}");
        assertThat(r.statusCode()).isEqualTo(202);
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] prefix = "{\"externalId\":\"bad-utf8\",\"content\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 4];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3; // a lead byte without its continuation
        body[prefix.length + 1] = (byte) 0x28;
        body[prefix.length + 2] = '"';
        body[prefix.length + 3] = '}';
        assertRefused(() -> postBytes("/api/v1/intake/webform", body, "application/json", API_KEY), 400, "not valid UTF-8");
    }

    @Test
    void anUnknownChannelIsRefusedWithTheChannelsThatExist() {
        assertRefused(() -> postJson("/api/v1/intake/fax", "{\"externalId\":\"a\",\"content\":\"x\"}"), 404, "unknown channel 'fax'");
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedByContentType() {
        assertRefused(() -> postBytes("/api/v1/intake/webform", "externalId=a&content=x".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded", API_KEY), 415, "Content-Type must be application/json");
    }

    @Test
    void anApiCallWithoutAValidKeyIsRefused() {
        byte[] body = "{\"externalId\":\"a\",\"content\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> postBytes("/api/v1/intake/webform", body, "application/json", null), 401, "missing X-Api-Key");
        assertRefused(() -> postBytes("/api/v1/intake/webform", body, "application/json", "guess"), 401, "not one of hub.api.keys");
        assertThat(postBytes("/api/v1/intake/webform", "{\"externalId\":\"second-key\",\"content\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "application/json", "second-key").statusCode()).isEqualTo(202);
    }

    @Test
    void everyApiCallButTheSignedStatusWebhookNeedsAKey() {
        for (String path : java.util.List.of("/api/v1/quarantine", "/api/v1/tickets?channel=webform", "/api/v1/tickets/T20990101-0000000000")) {
            HttpResponse<String> r = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path))).GET().build());
            assertThat(r.statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> replay = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/v1/quarantine/1/replay")))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(replay.statusCode()).isEqualTo(401);
        // the webhook is checked by its signature instead: without one it is refused for that reason
        HttpResponse<String> status = postBytes("/api/v1/tickets/T20990101-0000000000/status",
                "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00Z\"}".getBytes(StandardCharsets.UTF_8), "application/json", null);
        assertThat(status.statusCode()).isEqualTo(401);
        assertThat(Json.read(status.body()).get("error").asText()).contains("webhook-id");
    }

    private void assertRefused(Supplier<HttpResponse<String>> request, int status, String problem) {
        long inboxBefore = inboxRows();
        HttpResponse<String> response = request.get();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = Json.read(response.body());
        assertThat(body.get("error").asText()).contains(problem);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(inboxRows()).as("nothing stored").isEqualTo(inboxBefore);
    }

    private long inboxRows() {
        return jdbc.queryForObject("SELECT count(*) FROM inbox", Long.class);
    }
}
