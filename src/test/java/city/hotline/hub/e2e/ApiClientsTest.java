package city.hotline.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 8, point 8: named API clients (support/HubIntegrationTest: city-app with two keys, partner,
 * auditor (admin), elsewhere (channels: sms); hub.api.keys is the admin client "default").
 */
class ApiClientsTest extends HubIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void twoClientsSameExternalIdAreTwoTicketsEachSeenOnlyByItsClientAndTheOriginRecordsTheClient() {
        String externalId = "F-" + UUID.randomUUID();
        assertThat(post("city-app-key-old", "{\"externalId\":\"" + externalId + "\",\"content\":\"城东路灯不亮\"}").statusCode()).isEqualTo(202);
        assertThat(post("partner-key", "{\"externalId\":\"" + externalId + "\",\"content\":\"城西井盖缺失\"}").statusCode()).isEqualTo(202);

        JsonNode mine = await().atMost(Duration.ofSeconds(20)).until(() -> only("city-app-key-new", externalId), t -> t != null);
        JsonNode theirs = await().atMost(Duration.ofSeconds(20)).until(() -> only("partner-key", externalId), t -> t != null);
        assertThat(mine.get("ticketId").asText()).isNotEqualTo(theirs.get("ticketId").asText());
        assertThat(mine.get("content").asText()).isEqualTo("城东路灯不亮");
        assertThat(theirs.get("content").asText()).isEqualTo("城西井盖缺失");
        // channelItemId stays the client's own externalId; the origin records the client
        assertThat(mine.at("/origins/0/channelItemId").asText()).isEqualTo(externalId);
        assertThat(mine.at("/origins/0/client").asText()).isEqualTo("city-app");
        assertThat(theirs.at("/origins/0/client").asText()).isEqualTo("partner");
        // admins see both
        assertThat(search(API_KEY, "channel=webform&channelItemId=" + externalId).size()).isEqualTo(2);
        assertThat(search("auditor-key", "channel=webform&channelItemId=" + externalId).size()).isEqualTo(2);
    }

    @Test
    void aClientCanNeitherReadNorUpdateNorRedirectTheRepliesOfAnotherClientsItem() {
        String externalId = "F-" + UUID.randomUUID();
        post("city-app-key-old", "{\"externalId\":\"" + externalId + "\",\"content\":\"原文\",\"callbackUrl\":\"" + callbackUrl("owner-" + externalId) + "\"}");
        JsonNode mine = await().atMost(Duration.ofSeconds(20)).until(() -> only("city-app-key-old", externalId), t -> t != null);
        String ticketId = mine.get("ticketId").asText();

        assertThat(get("partner-key", "/api/v1/tickets/" + ticketId).statusCode()).isEqualTo(404);
        assertThat(get("partner-key", "/api/v1/tickets/" + ticketId + "/deliveries").statusCode()).isEqualTo(404);
        assertThat(get("partner-key", "/api/v1/tickets/" + ticketId + "/history").statusCode()).isEqualTo(404);
        assertThat(search("partner-key", "channelItemId=" + externalId)).isEmpty();

        // the same externalId from another client is that client's own item: the first ticket is untouched
        post("partner-key", "{\"externalId\":\"" + externalId + "\",\"content\":\"篡改\",\"callbackUrl\":\"" + callbackUrl("thief-" + externalId) + "\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> only("partner-key", externalId), t -> t != null);
        JsonNode after = Json.read(get("city-app-key-old", "/api/v1/tickets/" + ticketId).body());
        assertThat(after.get("content").asText()).isEqualTo("原文");
        assertThat(after.at("/origins/0/replyTarget/callbackUrl").asText()).endsWith("/cb/owner-" + externalId);
        assertThat(jdbc.queryForObject("SELECT reply_target->>'callbackUrl' FROM ticket_origin WHERE ticket_id = ?", String.class, ticketId))
                .endsWith("/cb/owner-" + externalId);
    }

    @Test
    void itemsOfChannelsOutsideTheApiAreVisibleToAdminClientsOnly() {
        String ticketId = jdbc.queryForList("SELECT ticket_id FROM ticket_origin WHERE channel <> 'webform' LIMIT 1", String.class)
                .stream().findFirst().orElse(null);
        if (ticketId == null) {
            // none yet in this context: make one as a polled channel would
            String itemId = "outside-" + UUID.randomUUID();
            jdbc.update("INSERT INTO ticket (ticket_id, status, body, created_at, updated_at) VALUES (?, 'RECEIVED', ?::jsonb, now(), now())",
                    "T-" + itemId, "{\"ticketId\":\"T-" + itemId + "\"}");
            jdbc.update("INSERT INTO ticket_origin (ticket_id, channel, channel_item_id, received_at) VALUES (?, 'board', ?, now())", "T-" + itemId, itemId);
            ticketId = "T-" + itemId;
        }
        // the ticket may also have a webform origin (HostileInputTest adds board and weibo origins to a webform ticket)
        String channel = jdbc.queryForObject("SELECT channel FROM ticket_origin WHERE ticket_id = ? AND channel <> 'webform' LIMIT 1",
                String.class, ticketId);
        assertThat(get("partner-key", "/api/v1/tickets/" + ticketId).statusCode()).isEqualTo(404);
        assertThat(search("partner-key", "channel=" + channel)).isEmpty();
        assertThat(get("auditor-key", "/api/v1/tickets/" + ticketId).statusCode()).isEqualTo(200);
        assertThat(get(API_KEY, "/api/v1/tickets/" + ticketId).statusCode()).isEqualTo(200);
        assertThat(get("partner-key", "/api/v1/quarantine").statusCode()).isEqualTo(403);
    }

    @Test
    void aClientLimitedToOtherChannelsIsRefusedAndRotatedKeysBothWork() {
        HttpResponse<String> r = post("elsewhere-key", "{\"externalId\":\"x-" + UUID.randomUUID() + "\",\"content\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("hub.api.clients.elsewhere.channels");
        assertThat(post("city-app-key-old", "{\"externalId\":\"r-" + UUID.randomUUID() + "\",\"content\":\"x\"}").statusCode()).isEqualTo(202);
        assertThat(post("city-app-key-new", "{\"externalId\":\"r-" + UUID.randomUUID() + "\",\"content\":\"x\"}").statusCode()).isEqualTo(202);
        assertThat(post("retired-key", "{\"externalId\":\"r-" + UUID.randomUUID() + "\",\"content\":\"x\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void aForgedClientHeaderIsIgnored() {
        String externalId = "F-" + UUID.randomUUID();
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url("/api/v1/intake/webform"))).header("Content-Type", "application/json")
                .header("X-Api-Key", "partner-key").header("X-Hub-Api-Client", "city-app")
                .POST(HttpRequest.BodyPublishers.ofString("{\"externalId\":\"" + externalId + "\",\"content\":\"x\"}", StandardCharsets.UTF_8)).build());
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode t = await().atMost(Duration.ofSeconds(20)).until(() -> only("partner-key", externalId), x -> x != null);
        assertThat(t.at("/origins/0/client").asText()).isEqualTo("partner");
    }

    private HttpResponse<String> post(String key, String body) {
        return send(HttpRequest.newBuilder(URI.create(url("/api/v1/intake/webform"))).header("Content-Type", "application/json")
                .header("X-Api-Key", key).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    private HttpResponse<String> get(String key, String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("X-Api-Key", key).GET().build());
    }

    private JsonNode search(String key, String query) {
        HttpResponse<String> r = get(key, "/api/v1/tickets?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.read(r.body()).get("items");
    }

    private JsonNode only(String key, String externalId) {
        JsonNode items = search(key, "channel=webform&channelItemId=" + externalId);
        assertThat(items.size()).isLessThanOrEqualTo(1);
        return items.isEmpty() ? null : items.get(0);
    }
}
