package city.hotline.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class StatusRelayTest extends HubIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aStatusFromTheCaseSystemReachesTheCitizensCallback() {
        String externalId = "wf-" + UUID.randomUUID();
        String ticketId = forwardedTicket(externalId, callbackUrl(externalId));

        HttpResponse<String> r = postStatus(ticketId,
                "{\"status\":\"REPLIED\",\"reply\":\"已安排维修，三日内修复。\",\"handlingUnit\":\"A2区城管局\",\"at\":\"2026-11-28T10:00:00+08:00\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.read(r.body()).get("outcome").asText()).isEqualTo("APPLIED");
        List<LoggedRequest> callbacks = await().atMost(Duration.ofSeconds(20)).until(() -> callbacksFor(externalId), l -> l.size() == 1);
        JsonNode sent = Json.read(callbacks.get(0).getBodyAsString());
        assertThat(sent.get("ticketId").asText()).isEqualTo(ticketId);
        assertThat(sent.get("externalId").asText()).isEqualTo(externalId);
        assertThat(sent.get("status").asText()).isEqualTo("REPLIED");
        assertThat(sent.get("reply").asText()).isEqualTo("已安排维修，三日内修复。");
        assertThat(sent.get("at").asText()).isEqualTo("2026-11-28T02:00:00Z");
        JsonNode ticket = getJson("/api/v1/tickets/" + ticketId);
        assertThat(ticket.get("status").asText()).isEqualTo("REPLIED");
        JsonNode delivery = await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(ticketId).get(0),
                d -> "SENT".equals(d.get("state").asText()));
        assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
        assertThat(delivery.get("channel").asText()).isEqualTo("webform");
    }

    @Test
    void anOlderStatusDoesNotOverwriteANewerOneAndAnIdenticalRepeatChangesNothing() {
        String externalId = "wf-" + UUID.randomUUID();
        String ticketId = forwardedTicket(externalId, callbackUrl(externalId));
        String inProgress = "{\"status\":\"IN_PROGRESS\",\"at\":\"2026-11-28T10:00:00+08:00\",\"handlingUnit\":\"A1区\"}";

        assertThat(outcome(postStatus(ticketId, inProgress))).isEqualTo("APPLIED");
        assertThat(outcome(postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T09:00:00+08:00\"}"))).isEqualTo("STALE");
        assertThat(outcome(postStatus(ticketId, inProgress))).isEqualTo("DUPLICATE");

        assertThat(getJson("/api/v1/tickets/" + ticketId).get("status").asText()).isEqualTo("IN_PROGRESS");
        await().atMost(Duration.ofSeconds(20)).until(() -> callbacksFor(externalId).size() == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> callbacksFor(externalId).size() == 1);
        assertThat(Json.read(callbacksFor(externalId).get(0).getBodyAsString()).get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(deliveries(ticketId)).hasSize(1);
        JsonNode history = getJson("/api/v1/tickets/" + ticketId + "/history").get("items");
        assertThat(history.findValuesAsText("kind")).containsExactly("CREATED", "STATUS_APPLIED", "STATUS_STALE");
    }

    @Test
    void aStatusWithABadOrMissingSignatureIsRefusedAndChangesNothing() {
        String externalId = "wf-" + UUID.randomUUID();
        String ticketId = forwardedTicket(externalId, callbackUrl(externalId));
        String body = withTicketId(ticketId, "{\"status\":\"CLOSED\",\"at\":\"2026-11-28T10:00:00+08:00\"}");
        long before = statusRows(ticketId);
        String id = "msg_" + UUID.randomUUID();
        String now = Long.toString(java.time.Instant.now().getEpochSecond());

        assertThat(sendStatus(ticketId, body, null).statusCode()).isEqualTo(401);
        assertThat(sendStatus(ticketId, body, "v1," + java.util.Base64.getEncoder().encodeToString(new byte[32])).statusCode()).isEqualTo(401);
        assertThat(sendStatus(ticketId, body, "v2,abc").statusCode()).isEqualTo(401);
        assertThat(sendStatus(ticketId, body, "v1,zz").statusCode()).isEqualTo(401);
        // a valid signature of a different body
        String validForOther = city.hotline.hub.relay.StatusSignature.sign(STATUS_SECRET, id, Long.parseLong(now),
                withTicketId(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00+08:00\"}"));
        HttpResponse<String> tampered = postStatusWithHeaders(ticketId, body, "webhook-id", id, "webhook-timestamp", now,
                "webhook-signature", validForOther);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(Json.read(tampered.body()).get("error").asText()).contains("No matching signature");

        assertThat(statusRows(ticketId)).isEqualTo(before);
        assertThat(getJson("/api/v1/tickets/" + ticketId).get("status").asText()).isEqualTo("FORWARDED");
    }

    @Test
    void anInvalidStatusOrAnUnknownTicketGetsAClearError() {
        String externalId = "wf-" + UUID.randomUUID();
        String ticketId = forwardedTicket(externalId, null);
        HttpResponse<String> bad = postStatus(ticketId, "{\"status\":\"DONE\",\"at\":\"2026-11-28T10:00:00+08:00\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.read(bad.body()).get("error").asText()).contains("status must be one of");
        HttpResponse<String> noTime = postStatus(ticketId, "{\"status\":\"ACCEPTED\"}");
        assertThat(noTime.statusCode()).isEqualTo(400);
        assertThat(Json.read(noTime.body()).get("error").asText()).contains("at is required");
        HttpResponse<String> unknown = postStatus("T20990101-0000000000", "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00Z\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.read(unknown.body()).get("error").asText()).contains("unknown ticket");
    }

    @Test
    void aFailingCallbackIsRetriedWithBackoffUntilItIsDelivered() {
        String externalId = "wf-" + UUID.randomUUID();
        String path = "/cb/" + externalId;
        CALLBACKS.stubFor(post(urlEqualTo(path)).inScenario(externalId).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        CALLBACKS.stubFor(post(urlEqualTo(path)).inScenario(externalId).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500).withBody("still down")).willSetStateTo("up"));
        CALLBACKS.stubFor(post(urlEqualTo(path)).inScenario(externalId).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(204)));
        String ticketId = forwardedTicket(externalId, callbackUrl(externalId));

        postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00+08:00\"}");

        JsonNode delivery = await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(ticketId).get(0),
                d -> "SENT".equals(d.get("state").asText()));
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(callbacksFor(externalId)).hasSize(3);
    }

    @Test
    void whileACallbackKeepsFailingItsDeliveryIsPendingWithAttemptsAndLastErrorThenFailedWhenAttemptsRunOut() {
        String externalId = "wf-" + UUID.randomUUID();
        CALLBACKS.stubFor(post(urlEqualTo("/cb/" + externalId)).willReturn(aResponse().withStatus(503).withBody("maintenance")));
        String ticketId = forwardedTicket(externalId, callbackUrl(externalId));

        postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00+08:00\"}");

        JsonNode retrying = await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(ticketId).get(0),
                d -> d.get("attempts").asInt() >= 1);
        assertThat(retrying.get("state").asText()).isEqualTo("PENDING");
        assertThat(retrying.get("lastError").asText()).contains("503").contains("maintenance");
        assertThat(retrying.get("nextAttemptAt").asText()).isNotBlank();
        // hub.relay.retry.max-attempts is 5 in the tests
        JsonNode failed = await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ticketId).get(0),
                d -> "FAILED".equals(d.get("state").asText()));
        assertThat(failed.get("attempts").asInt()).isEqualTo(5);
        assertThat(failed.get("lastError").asText()).contains("gave up after 5 attempts").contains("503");
        assertThat(callbacksFor(externalId)).hasSize(5);
    }

    @Test
    void aCallbackThatRefusesForGoodIsFailedWithItsReasonAndCanBeRetriedByHand() {
        String externalId = "wf-" + UUID.randomUUID();
        String path = "/cb/" + externalId;
        CALLBACKS.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(410).withBody("form withdrawn")));
        String ticketId = forwardedTicket(externalId, callbackUrl(externalId));

        postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00+08:00\"}");

        JsonNode failed = await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(ticketId).get(0),
                d -> "FAILED".equals(d.get("state").asText()));
        assertThat(failed.get("lastError").asText()).contains("410").contains("form withdrawn");
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);

        CALLBACKS.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        HttpResponse<String> retry = postJson("/api/v1/tickets/deliveries/" + failed.get("id").asLong() + "/retry", "{}");
        assertThat(retry.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(ticketId).get(0).get("state").asText(), "SENT"::equals);
    }

    @Test
    void everyOriginOfATicketGetsEveryStatusChange() {
        String first = "wf-" + UUID.randomUUID();
        String second = "wf-" + UUID.randomUUID();
        String ticketId = forwardedTicket(first, callbackUrl(first));
        // a second origin on the same ticket, as a merge of duplicates would leave it
        jdbc.update("INSERT INTO ticket_origin (ticket_id, channel, channel_item_id, reply_target, received_at) VALUES (?, 'webform', ?, ?::jsonb, now())",
                ticketId, second, "{\"callbackUrl\":\"" + callbackUrl(second) + "\"}");

        postStatus(ticketId, "{\"status\":\"ASSIGNED\",\"at\":\"2026-11-28T10:00:00+08:00\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> callbacksFor(first).size() == 1 && callbacksFor(second).size() == 1);
        assertThat(Json.read(callbacksFor(second).get(0).getBodyAsString()).get("externalId").asText()).isEqualTo(second);
        assertThat(deliveries(ticketId)).hasSize(2);
    }

    private String forwardedTicket(String externalId, String callbackUrl) {
        String cb = callbackUrl == null ? "" : ",\"callbackUrl\":\"" + callbackUrl + "\"";
        HttpResponse<String> r = postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"小区停水三天\"" + cb + "}");
        assertThat(r.statusCode()).isEqualTo(202);
        return await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId),
                t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
    }

    private List<LoggedRequest> callbacksFor(String externalId) {
        return CALLBACKS.findAll(postRequestedFor(urlEqualTo("/cb/" + externalId)));
    }

    private JsonNode deliveries(String ticketId) {
        return getJson("/api/v1/tickets/" + ticketId + "/deliveries").get("items");
    }

    private long statusRows(String ticketId) {
        return jdbc.queryForObject("SELECT count(*) FROM status_update WHERE ticket_id = ?", Long.class, ticketId);
    }

    private static String outcome(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.read(r.body()).get("outcome").asText();
    }

    /** A fresh id and the current time, with the given webhook-signature value (or none). */
    private HttpResponse<String> sendStatus(String ticketId, String body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/api/v1/tickets/" + ticketId + "/status")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .header("webhook-id", "msg_" + UUID.randomUUID())
                .header("webhook-timestamp", Long.toString(java.time.Instant.now().getEpochSecond()));
        if (signature != null) {
            b.header("webhook-signature", signature);
        }
        return send(b.build());
    }
}
