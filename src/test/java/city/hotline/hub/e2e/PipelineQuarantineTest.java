package city.hotline.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Items that pass the door but fail later (mapping, ticket schema) are quarantined, listed and replayable. */
class PipelineQuarantineTest extends HubIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aTimeTheMappingCannotReadIsQuarantinedWithTheReasonAndNoTicket() {
        String externalId = "wf-" + UUID.randomUUID();
        HttpResponse<String> r = postJson("/api/v1/intake/webform",
                "{\"externalId\":\"" + externalId + "\",\"content\":\"垃圾未清运\",\"submittedAt\":\"2019/13/45 10:00:00\"}");
        assertThat(r.statusCode()).isEqualTo(202);

        JsonNode item = await().atMost(Duration.ofSeconds(20)).until(() -> quarantinedFor(externalId), q -> q != null);

        assertThat(item.get("channel").asText()).isEqualTo("webform");
        assertThat(item.get("stage").asText()).isEqualTo("MAPPING");
        assertThat(item.get("reason").asText()).contains("2019/13/45 10:00:00");
        assertThat(item.get("receivedAt").asText()).isNotBlank();
        assertThat(ticketFor("webform", externalId)).isNull();
    }

    @Test
    void contentThatIsOnlyMarkupFailsTheTicketSchemaAndIsQuarantinedNotSent() {
        String externalId = "wf-" + UUID.randomUUID();
        postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"<p><script>alert(1)</script></p>\"}");

        JsonNode item = await().atMost(Duration.ofSeconds(20)).until(() -> quarantinedFor(externalId), q -> q != null);

        assertThat(item.get("reason").asText()).contains("ticket.schema.json").contains("content");
        assertThat(ticketFor("webform", externalId)).isNull();
        assertThat(CASE_SYSTEM.getAllServeEvents()).noneMatch(e -> e.getRequest().getBodyAsString().contains(externalId));
    }

    @Test
    void aQuarantinedItemIsReplayedThroughThePipelineOnceTheCauseIsFixed() {
        String externalId = "wf-" + UUID.randomUUID();
        postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"占道经营\",\"submittedAt\":\"2019/13/45 10:00:00\"}");
        JsonNode item = await().atMost(Duration.ofSeconds(20)).until(() -> quarantinedFor(externalId), q -> q != null);
        // the fix: here the stored item is corrected (an operator would fix the mapping instead)
        jdbc.update("UPDATE inbox SET payload = replace(payload, '2019/13/45', '2019/12/25') WHERE channel_item_id = ?", externalId);

        HttpResponse<String> replay = postJson("/api/v1/quarantine/" + item.get("id").asLong() + "/replay", "{}");

        assertThat(replay.statusCode()).isEqualTo(202);
        JsonNode ticket = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId),
                t -> t != null && "FORWARDED".equals(t.get("status").asText()));
        assertThat(ticket.at("/origins/0/receivedAt").asText()).isEqualTo("2019-12-25T02:00:00Z");
        assertThat(quarantinedFor(externalId)).isNull();
    }

    @Test
    void replayingAnUnknownItemIsA404() {
        HttpResponse<String> r = postJson("/api/v1/quarantine/987654321/replay", "{}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Json.read(r.body()).get("error").asText()).isEqualTo("no quarantined item 987654321");
    }

    private JsonNode quarantinedFor(String externalId) {
        Long inboxId = jdbc.queryForList("SELECT id FROM inbox WHERE channel_item_id = ?", Long.class, externalId).stream().findFirst().orElse(null);
        if (inboxId == null) {
            return null;
        }
        Long id = jdbc.queryForList("SELECT id FROM quarantine WHERE stage = 'MAPPING' AND ref_id = ? AND state = 'OPEN'", Long.class, inboxId)
                .stream().findFirst().orElse(null);
        if (id == null) {
            return null;
        }
        for (JsonNode q : getJson("/api/v1/quarantine").get("items")) {
            if (q.get("id").asLong() == id) {
                return q;
            }
        }
        throw new AssertionError("quarantine item " + id + " is not listed by the API");
    }
}
