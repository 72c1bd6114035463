package city.hotline.hub.e2e;

import static city.hotline.hub.support.CaseSystemStub.ticketsReceived;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import city.hotline.hub.support.BoardFixtures;
import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

class ForwardingTest extends HubIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Test
    void aBoardPostSubmittedThroughTheWebFormReachesTheCaseSystemAsAUnifiedTicket() {
        BoardFixtures.Post post = BoardFixtures.postsWithReplies().get(1);
        String externalId = "wf-" + UUID.randomUUID();

        HttpResponse<String> accepted = postJson("/api/v1/intake/webform", post.asWebform(externalId, callbackUrl(externalId)));

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(Json.read(accepted.body()).get("receiptId").asText()).isNotBlank();
        JsonNode ticket = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId),
                t -> t != null && "FORWARDED".equals(t.get("status").asText()));
        String ticketId = ticket.get("ticketId").asText();
        List<LoggedRequest> sent = ticketsReceived(CASE_SYSTEM, ticketId);
        assertThat(sent).hasSize(1);
        JsonNode forwarded = Json.read(sent.get(0).getBodyAsString());
        assertThat(forwarded.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(forwarded.get("title").asText()).isEqualTo("A3区潇楚南路洋湖段怎么还没修好？");
        // 2019/4/24 16:03:40 in Asia/Shanghai
        assertThat(forwarded.at("/origins/0/receivedAt").asText()).isEqualTo("2019-04-24T08:03:40Z");
        assertThat(forwarded.at("/origins/0/channelItemId").asText()).isEqualTo(externalId);
        // the board pads bodies with blank lines and tabs: gone, text kept
        assertThat(forwarded.get("content").asText()).startsWith("潇楚南路从2018年开始修").doesNotContain("\t");
        assertThat(forwarded.at("/requester/name").asText()).isEqualTo("A00023583");
        assertThat(sent.get(0).getHeader("Content-Type")).startsWith("application/json");
    }

    @Test
    void theSameItemPostedThreeTimesConcurrentlyBecomesOneTicketSentOnce() throws Exception {
        String externalId = "wf-" + UUID.randomUUID();
        String body = "{\"externalId\":\"" + externalId + "\",\"content\":\"楼上噪音扰民\",\"requester\":{\"phone\":\"13912345678\"}}";
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Callable<HttpResponse<String>>> calls = List.of(() -> postJson("/api/v1/intake/webform", body),
                () -> postJson("/api/v1/intake/webform", body), () -> postJson("/api/v1/intake/webform", body));
        List<Future<HttpResponse<String>>> results = pool.invokeAll(calls);
        pool.shutdown();

        List<String> receipts = new java.util.ArrayList<>();
        for (Future<HttpResponse<String>> f : results) {
            assertThat(f.get().statusCode()).isEqualTo(202);
            receipts.add(Json.read(f.get().body()).get("receiptId").asText());
        }
        assertThat(receipts).containsOnly(receipts.get(0));
        JsonNode ticket = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId),
                t -> t != null && "FORWARDED".equals(t.get("status").asText()));
        assertThat(ticket.at("/requester/phone").asText()).isEqualTo("+8613912345678");
        assertThat(ticketsReceived(CASE_SYSTEM, ticket.get("ticketId").asText())).hasSize(1);
    }

    @Test
    void aReDeliveryWithChangedContentUpdatesTheTicketInsteadOfCreatingAnother() {
        String externalId = "wf-" + UUID.randomUUID();
        postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"第一版\"}");
        JsonNode first = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId), t -> t != null);

        HttpResponse<String> again = postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"第二版，补充地址\"}");

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(Json.read(again.body()).get("duplicate").asBoolean()).isFalse();
        String ticketId = first.get("ticketId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId).get("content").asText(),
                c -> c.equals("第二版，补充地址"));
        assertThat(ticketFor("webform", externalId).get("ticketId").asText()).isEqualTo(ticketId);
        JsonNode history = getJson("/api/v1/tickets/" + ticketId + "/history").get("items");
        assertThat(history.findValuesAsText("kind")).containsExactly("CREATED", "CONTENT_UPDATED");
        // the case system gets the change as an update of the same ticket, never as a second POST
        List<LoggedRequest> updates = await().atMost(Duration.ofSeconds(20))
                .until(() -> CaseSystemStub.updatesReceived(CASE_SYSTEM, ticketId), u -> !u.isEmpty());
        assertThat(updates).hasSize(1);
        int version = Json.read(history.get(1).get("detail").asText()).get("version").asInt();
        assertThat(version).isGreaterThan(1);
        assertThat(updates.get(0).getHeader("Idempotency-Key")).isEqualTo(ticketId + ":" + version);
        JsonNode updated = Json.read(updates.get(0).getBodyAsString());
        assertThat(updated.get("ticketId").asText()).isEqualTo(ticketId);
        assertThat(updated.get("content").asText()).isEqualTo("第二版，补充地址");
        assertThat(ticketsReceived(CASE_SYSTEM, ticketId)).hasSize(1);
        assertThat(updates.get(0).getLoggedDate()).isAfterOrEqualTo(ticketsReceived(CASE_SYSTEM, ticketId).get(0).getLoggedDate());
    }

    @Test
    void anUpdateWaitsForTheCreationWhileTheCaseSystemIsDown() {
        CaseSystemStub.answer(CASE_SYSTEM, 503);
        String externalId = "wf-" + UUID.randomUUID();
        postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"第一版\"}");
        String ticketId = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId), t -> t != null)
                .get("ticketId").asText();
        postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"第二版\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM forward_outbox WHERE ticket_id = ? AND kind = 'UPDATE'", Integer.class, ticketId) == 1);

        CASE_SYSTEM.resetAll();
        CaseSystemStub.acceptEverything(CASE_SYSTEM);

        await().atMost(Duration.ofSeconds(20)).until(() -> CaseSystemStub.updatesReceived(CASE_SYSTEM, ticketId).size() == 1);
        List<LoggedRequest> all = CASE_SYSTEM.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlMatching("/api/tickets.*")));
        // after the outage: first the creation (POST), then the update (PUT), never the other way round
        assertThat(all.stream().map(r -> r.getMethod().getName()).toList()).containsExactly("POST", "PUT");
    }

    @Test
    void whileTheCaseSystemAnswers503TheTicketWaitsAndIsDeliveredOnceItIsBack() {
        CaseSystemStub.answer(CASE_SYSTEM, 503);
        String externalId = "wf-" + UUID.randomUUID();
        postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"井盖缺失\"}");
        String ticketId = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId), t -> t != null)
                .get("ticketId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> ticketsReceived(CASE_SYSTEM, ticketId).size() >= 3);
        assertThat(ticketFor("webform", externalId).get("status").asText()).isEqualTo("RECEIVED");
        assertThat(health().at("/components/caseSystem/status").asText()).isEqualTo("DOWN");

        CaseSystemStub.acceptEverything(CASE_SYSTEM);

        await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId).get("status").asText(), "FORWARDED"::equals);
        int attempts = ticketsReceived(CASE_SYSTEM, ticketId).size();
        // nothing is sent after the 2xx
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
                .until(() -> ticketsReceived(CASE_SYSTEM, ticketId).size() == attempts);
        assertThat(health().at("/components/caseSystem/status").asText()).isEqualTo("UP");
    }

    @Test
    void aTicketTheCaseSystemRefusesIsQuarantinedWithTheResponseAndReplayedAfterTheFix() {
        CaseSystemStub.answer(CASE_SYSTEM, 422);
        String externalId = "wf-" + UUID.randomUUID();
        postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"路灯不亮\"}");
        String ticketId = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId), t -> t != null)
                .get("ticketId").asText();
        JsonNode item = await().atMost(Duration.ofSeconds(20)).until(() -> quarantined(ticketId), q -> q != null);
        assertThat(item.get("reason").asText()).contains("422").contains("stub answered 422");
        assertThat(item.get("stage").asText()).isEqualTo("FORWARD");
        assertThat(ticketsReceived(CASE_SYSTEM, ticketId)).hasSize(1);

        CaseSystemStub.acceptEverything(CASE_SYSTEM);
        HttpResponse<String> replay = postJson("/api/v1/quarantine/" + item.get("id").asLong() + "/replay", "{}");

        assertThat(replay.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId).get("status").asText(), "FORWARDED"::equals);
        assertThat(ticketsReceived(CASE_SYSTEM, ticketId)).hasSize(2);
        assertThat(quarantined(ticketId)).isNull();
        assertThat(postJson("/api/v1/quarantine/" + item.get("id").asLong() + "/replay", "{}").statusCode()).isEqualTo(409);
    }

    @Test
    void aTicketStillUndeliveredAfterTheGiveUpTimeIsQuarantinedNotDropped() {
        CaseSystemStub.answer(CASE_SYSTEM, 503);
        String externalId = "wf-" + UUID.randomUUID();
        postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"违章停车\"}");
        String ticketId = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId), t -> t != null)
                .get("ticketId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> !ticketsReceived(CASE_SYSTEM, ticketId).isEmpty());
        // as if the case system had been down for a day (hub.backends.case-system.retry.give-up-after = 24h)
        jdbc.update("UPDATE forward_outbox SET created_at = now() - interval '25 hours' WHERE ticket_id = ?", ticketId);

        JsonNode item = await().atMost(Duration.ofSeconds(20)).until(() -> quarantined(ticketId), q -> q != null);

        assertThat(item.get("reason").asText()).contains("gave up after").contains("PT24H").contains("503");
        assertThat(jdbc.queryForObject("SELECT state FROM forward_outbox WHERE ticket_id = ?", String.class, ticketId)).isEqualTo("QUARANTINED");
        CaseSystemStub.acceptEverything(CASE_SYSTEM);
        assertThat(postJson("/api/v1/quarantine/" + item.get("id").asLong() + "/replay", "{}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId).get("status").asText(), "FORWARDED"::equals);
    }

    private JsonNode quarantined(String ticketId) {
        for (JsonNode q : getJson("/api/v1/quarantine").get("items")) {
            if (ticketId.equals(q.path("ticketId").asText())) {
                return q;
            }
        }
        return null;
    }
}
