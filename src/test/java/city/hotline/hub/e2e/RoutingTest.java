package city.hotline.hub.e2e;

import static city.hotline.hub.support.CaseSystemStub.ticketsReceived;
import static city.hotline.hub.support.CaseSystemStub.updatesReceived;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.dispatch.Dispatcher;
import city.hotline.hub.support.BoardFixtures;
import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.support.RoutingStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 12 end to end: tickets get their place, urgency and deadline, and reach the back-ends the
 * dispatch rules name (src/test/resources/routing/dispatch-rules.yaml): the gas company and the street
 * office of 洋湖街道 (WireMock, support/RoutingStubs) besides the case system.
 */
class RoutingTest extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<BoardFixtures.Post> POSTS = BoardFixtures.read("/fixtures/routing-posts.csv");

    @Autowired
    Dispatcher dispatcher;

    @BeforeEach
    void backEndsAccept() {
        RoutingStubs.GAS.resetAll();
        RoutingStubs.STREET.resetAll();
        CaseSystemStub.acceptEverything(RoutingStubs.GAS);
        CaseSystemStub.acceptEverything(RoutingStubs.STREET);
    }

    @AfterEach
    void rulesAsShipped() {
        RoutingStubs.restoreRules();
        await().atMost(WAIT).until(() -> dispatcher.lastProblem() == null && dispatcher.rules().size() == 2);
    }

    private JsonNode submit(String title, String content, String submittedAt) {
        String id = "route-" + UUID.randomUUID();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("externalId", id);
        m.put("title", title);
        m.put("content", content);
        if (submittedAt != null) {
            m.put("submittedAt", submittedAt);
        }
        assertThat(postJson("/api/v1/intake/webform", Json.write(m)).statusCode()).isEqualTo(202);
        return await().atMost(WAIT).until(() -> ticketFor("webform", id), t -> t != null);
    }

    private JsonNode submit(BoardFixtures.Post post) {
        return submit(post.subject(), post.body(), post.time());
    }

    private java.net.http.HttpResponse<String> postSignedBy(String secret, String ticketId, String body) {
        String signed = withTicketId(ticketId, body);
        String webhookId = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        return postStatusWithHeaders(ticketId, signed, "webhook-id", webhookId, "webhook-timestamp", Long.toString(now),
                "webhook-signature", city.hotline.hub.relay.StatusSignature.sign(secret, webhookId, now, signed));
    }

    private static List<String> dispatchedTo(JsonNode ticket) {
        List<String> out = new ArrayList<>();
        ticket.get("dispatch").forEach(d -> out.add(d.get("backend").asText()));
        return out;
    }

    @Test
    void fixturePostsAreRoutedToTheirStreetAndItsBackEnd() {
        // 2554: "A3区潇楚南路洋湖段…": the district is masked, the street is real
        JsonNode yanghu = submit(POSTS.get(0));
        // 17294: a township of 长沙县, which no rule names: the default back-end
        JsonNode qingshanpu = submit(POSTS.get(2));
        // 5492: "A市A1区锦泰家园": nothing of 长沙 named
        JsonNode unresolved = submit(POSTS.get(3));

        assertThat(yanghu.at("/location/street").asText()).isEqualTo("洋湖街道");
        assertThat(yanghu.at("/location/district").asText()).isEqualTo("岳麓区");
        assertThat(yanghu.at("/location/divisionCode").asText()).startsWith("430104").hasSize(9);
        assertThat(yanghu.at("/location/resolved").asBoolean()).isTrue();
        assertThat(dispatchedTo(yanghu)).containsExactly("street-yuelu", "case-system");
        String yanghuId = yanghu.get("ticketId").asText();
        await().atMost(WAIT).until(() -> ticketsReceived(RoutingStubs.STREET, yanghuId).size() == 1
                && ticketsReceived(CASE_SYSTEM, yanghuId).size() == 1);
        JsonNode atStreet = Json.read(ticketsReceived(RoutingStubs.STREET, yanghuId).get(0).getBodyAsString());
        assertThat(atStreet.at("/location/street").asText()).isEqualTo("洋湖街道");

        assertThat(qingshanpu.at("/location/street").asText()).isEqualTo("青山铺镇");
        assertThat(qingshanpu.at("/location/district").asText()).isEqualTo("长沙县");
        assertThat(dispatchedTo(qingshanpu)).containsExactly("case-system");
        String qingshanpuId = qingshanpu.get("ticketId").asText();
        await().atMost(WAIT).until(() -> ticketsReceived(CASE_SYSTEM, qingshanpuId).size() == 1);
        assertThat(ticketsReceived(RoutingStubs.STREET, qingshanpuId)).isEmpty();

        assertThat(unresolved.at("/location/resolved").asBoolean()).isFalse();
        assertThat(unresolved.at("/location/unresolvedReason").asText()).contains("长沙市");
        assertThat(unresolved.at("/location/district").isMissingNode()).isTrue();
        // every ticket gets a suggested category on the taxonomy
        assertThat(yanghu.at("/category/code").asText()).matches("[0-9]{2,6}");
        assertThat(yanghu.at("/category/suggested").asBoolean()).isTrue();
    }

    @Test
    void aJointDispatchReachesBothBackEndsKeepsTheirStatusesApartAndSendsUpdatesToBoth() {
        JsonNode ticket = submit("楼道燃气泄漏", "洋湖街道某小区三栋楼道里燃气泄漏，味道很大", null);
        String ticketId = ticket.get("ticketId").asText();

        assertThat(dispatchedTo(ticket)).containsExactly("gas-company", "case-system");
        await().atMost(WAIT).until(() -> ticketsReceived(RoutingStubs.GAS, ticketId).size() == 1
                && ticketsReceived(CASE_SYSTEM, ticketId).size() == 1);
        assertThat(ticketsReceived(RoutingStubs.GAS, ticketId).get(0).getHeader("Authorization")).isEqualTo("Bearer gas-test-token");
        assertThat(ticketsReceived(CASE_SYSTEM, ticketId).get(0).containsHeader("Authorization")).isFalse();

        String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        // the case system (not the lead) reports: kept apart, the ticket's own status does not move
        var fromCaseSystem = postStatus(ticketId, "{\"backend\":\"case-system\",\"status\":\"IN_PROGRESS\",\"at\":\"" + at + "\"}");
        assertThat(fromCaseSystem.statusCode()).isEqualTo(200);
        assertThat(Json.read(fromCaseSystem.body()).get("outcome").asText()).isEqualTo("RECORDED_FOR_BACKEND");
        // the gas company leads (first in the rule): its report, signed with its own secret, is the ticket's status
        var fromGas = postSignedBy(RoutingStubs.GAS_STATUS_SECRET, ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"" + at + "\"}");
        assertThat(Json.read(fromGas.body()).get("outcome").asText()).isEqualTo("APPLIED");
        // signed by the gas company, a report cannot speak for another back-end
        assertThat(postSignedBy(RoutingStubs.GAS_STATUS_SECRET, ticketId,
                "{\"backend\":\"case-system\",\"status\":\"REPLIED\",\"at\":\"" + at + "\"}").statusCode()).isEqualTo(422);
        // a back-end that does not hold the ticket cannot report on it
        assertThat(postStatus(ticketId, "{\"backend\":\"street-yuelu\",\"status\":\"ACCEPTED\",\"at\":\"" + at + "\"}").statusCode())
                .isEqualTo(422);

        JsonNode now = ticketFor("webform", ticket.at("/origins/0/channelItemId").asText());
        assertThat(now.get("status").asText()).isEqualTo("ACCEPTED");
        Map<String, String> byBackend = new java.util.HashMap<>();
        now.get("dispatch").forEach(d -> byBackend.put(d.get("backend").asText(), d.path("status").asText()));
        assertThat(byBackend).containsEntry("gas-company", "ACCEPTED").containsEntry("case-system", "IN_PROGRESS");

        // a changed re-delivery reaches every back-end that holds the ticket
        String itemId = ticket.at("/origins/0/channelItemId").asText();
        postJson("/api/v1/intake/webform", Json.write(Map.of("externalId", itemId, "title", "楼道燃气泄漏",
                "content", "洋湖街道某小区三栋楼道里燃气泄漏，已经疏散")));
        await().atMost(WAIT).until(() -> updatesReceived(RoutingStubs.GAS, ticketId).size() == 1
                && updatesReceived(CASE_SYSTEM, ticketId).size() == 1);
        assertThat(updatesReceived(RoutingStubs.STREET, ticketId)).isEmpty();
    }

    @Test
    void anUrgentGasLeakReportIsDueWithinTwoHours() {
        JsonNode ticket = submit("燃气泄漏", "家里厨房燃气泄漏，请马上派人", null);

        assertThat(ticket.get("urgency").asText()).isEqualTo("CRITICAL");
        Instant received = Instant.parse(ticket.at("/origins/0/receivedAt").asText());
        assertThat(Instant.parse(ticket.get("dueAt").asText())).isEqualTo(received.plus(Duration.ofHours(2)));
    }

    @Test
    void aGeneralReportOverTheNationalDayHolidayIsDueSevenWorkingDaysLater() {
        // Wednesday 30 September 2026, 10:00 in Shanghai; 1-7 October are holidays, Saturday 10 October is worked
        JsonNode ticket = submit("路灯不亮", "小区门口的路灯坏了一个月", "2026/9/30 10:00:00");

        assertThat(ticket.get("urgency").asText()).isEqualTo("NORMAL");
        assertThat(ticket.get("dueAt").asText()).isEqualTo("2026-10-15T15:59:59Z");
    }

    @Test
    void oneBackEndDownDoesNotHoldUpAnotherAndItsUnacknowledgedTicketsShowAsStuck() {
        CaseSystemStub.answer(RoutingStubs.STREET, 503);

        JsonNode forStreet = submit(POSTS.get(0));
        JsonNode forGas = submit("燃气泄漏", "单元楼燃气泄漏", null);
        String streetId = forStreet.get("ticketId").asText();
        String gasId = forGas.get("ticketId").asText();

        await().atMost(WAIT).until(() -> ticketsReceived(RoutingStubs.GAS, gasId).size() == 1);
        await().atMost(WAIT).until(() -> ticketsReceived(CASE_SYSTEM, streetId).size() == 1);
        await().atMost(WAIT).until(() -> ticketsReceived(RoutingStubs.STREET, streetId).size() >= 2);
        JsonNode backends = health().at("/components/backends/components");
        assertThat(backends.at("/street-yuelu/status").asText()).isEqualTo("DOWN");
        assertThat(backends.at("/street-yuelu/details/lastError").asText()).contains("503");
        assertThat(backends.at("/gas-company/status").asText()).isEqualTo("UP");
        // not acknowledged within hub.dispatch.ack-within (3 s in tests)
        await().atMost(WAIT).until(() -> get("/actuator/prometheus").body().lines()
                .filter(l -> l.startsWith("hub_dispatch_stuck{") && l.contains("backend=\"street-yuelu\""))
                .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 1));

        CaseSystemStub.acceptEverything(RoutingStubs.STREET);
        await().atMost(WAIT).until(() -> ticketsReceived(RoutingStubs.STREET, streetId).stream()
                .anyMatch(r -> r.getLoggedDate() != null) && health().at("/components/backends/components/street-yuelu/status").asText().equals("UP"));
    }

    @Test
    void aRulesFileWithAnErrorIsRefusedWithFileLineAndProblemWhileTheOldRulesStay() throws Exception {
        Files.writeString(RoutingStubs.RULES, """
                default: case-system
                rules:
                  - when: {street: 洋湖街道}
                    to: [street-yuelu, water-company]
                """);

        await().atMost(WAIT).until(() -> dispatcher.lastProblem() != null);
        assertThat(dispatcher.lastProblem()).contains(RoutingStubs.RULES.toString()).contains("line 4")
                .contains("unknown back-end 'water-company'");
        assertThat(health().at("/components/backends/components/dispatch-rules/details/refusedReload").asText()).contains("line 4");
        JsonNode ticket = submit(POSTS.get(0));
        assertThat(dispatchedTo(ticket)).containsExactly("street-yuelu", "case-system");

        // a corrected file is taken without a restart
        Files.writeString(RoutingStubs.RULES, """
                default: case-system
                rules:
                  - when: {street: 洋湖街道}
                    to: street-yuelu
                """);
        await().atMost(WAIT).until(() -> dispatcher.lastProblem() == null && dispatcher.rules().size() == 1);
        JsonNode after = submit(POSTS.get(0).subject() + "（再次反映）", POSTS.get(0).body(), null);
        assertThat(dispatchedTo(after)).containsExactly("street-yuelu");
        String afterId = after.get("ticketId").asText();
        await().atMost(WAIT).until(() -> ticketsReceived(RoutingStubs.STREET, afterId).size() == 1);
        assertThat(ticketsReceived(CASE_SYSTEM, afterId)).isEmpty();
    }
}
