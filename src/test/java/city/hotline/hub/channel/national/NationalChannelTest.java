package city.hotline.hub.channel.national;

import static city.hotline.hub.channel.national.NationalStubs.NATIONAL;
import static city.hotline.hub.channel.national.NationalStubs.feedbacks;
import static city.hotline.hub.channel.national.NationalStubs.page;
import static city.hotline.hub.channel.national.NationalStubs.receipts;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The national channel against a WireMock province implementing docs/national-adapter.md. Every
 * test starts from a fresh cursor (poll route stopped, cursor removed, route started) and uses its
 * own case numbers; every test ends by checking that each request the hub sent was signed right.
 */
class NationalChannelTest extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;

    @BeforeEach
    void freshCursor() throws Exception {
        camel.getRouteController().stopRoute("national-poll");
        jdbc.update("DELETE FROM poll_cursor WHERE channel = 'national'");
        NATIONAL.resetAll();
        NationalStubs.defaults();
        camel.getRouteController().startRoute("national-poll");
    }

    @Test
    void casesArePulledPageByPageWithTheCursorAndEachBecomesATicketWithProvenanceDeadlineAndASignedReceipt() {
        page(null, casesPage("c-1a", assigned("N1-001", "2026-11-30T09:00:00+08:00", "2026-12-04T18:00:00+08:00"),
                assigned("N1-002", "2026-11-30T09:30:00+08:00", "2026-12-07T18:00:00+08:00")));
        page("c-1a", casesPage("c-1b", assigned("N1-003", "2026-11-30T10:00:00+08:00", "2026-12-08T18:00:00+08:00")));
        page("c-1b", casesPage("c-1b"));

        for (String caseNo : List.of("N1-001", "N1-002", "N1-003")) {
            await().atMost(WAIT).until(() -> receipts(caseNo).size() == 1);
        }
        JsonNode ticket = ticketFor("national", "N1-001");
        assertThat(ticket.at("/provenance/system").asText()).isEqualTo("national");
        assertThat(ticket.at("/provenance/caseNo").asText()).isEqualTo("N1-001");
        assertThat(ticket.at("/provenance/source").asText()).isEqualTo("国家政务服务投诉与建议");
        assertThat(ticket.at("/provenance/assignedAt").asText()).isEqualTo("2026-11-30T01:00:00Z");
        assertThat(ticket.get("dueAt").asText()).isEqualTo("2026-12-04T10:00:00Z");
        assertThat(ticket.at("/requester/phone").asText()).isEqualTo("+8613912345678");
        assertThat(ticket.at("/requester/name").asText()).isEqualTo("张三");
        assertThat(ticket.at("/location/divisionCode").asText()).isEqualTo("330106");
        assertThat(ticket.get("title").asText()).isEqualTo("案件 N1-001");
        assertThat(ticket.at("/origins/0/replyTarget/caseNo").asText()).isEqualTo("N1-001");
        // the receipt names the ticket, with the hub's time of receipt in +08:00
        JsonNode receipt = Json.read(receipts("N1-001").get(0).getBodyAsString());
        assertThat(receipt.get("ticketId").asText()).isEqualTo(ticket.get("ticketId").asText());
        assertThat(receipt.get("receivedAt").asText()).endsWith("+08:00");
        assertThat(OffsetDateTime.parse(receipt.get("receivedAt").asText()).toInstant()).isBetween(
                Instant.now().minus(Duration.ofMinutes(1)), Instant.now());
        // the cursor moved with the pages and is kept
        await().atMost(WAIT).until(() -> cursor(), "c-1b"::equals);
        assertThat(NATIONAL.findAll(getRequestedFor(urlPathEqualTo("/prov/cases"))).stream()
                .map(r -> r.queryParameter("since").isPresent() ? r.queryParameter("since").firstValue() : "(none)").distinct().toList())
                .startsWith("(none)", "c-1a", "c-1b");
        assertThat(jdbc.queryForObject("SELECT state FROM national_case WHERE case_no = 'N1-003'", String.class)).isEqualTo("SENT");
        NationalStubs.assertAllSigned();
    }

    @Test
    void aClosedTicketSendsTheFeedbackReportAndOtherStatusesSendNothing() {
        String due = OffsetDateTime.now(java.time.ZoneOffset.ofHours(8)).plusHours(3).truncatedTo(ChronoUnit.SECONDS).toString();
        page(null, casesPage("c-2a", assigned("N2-001", "2026-11-30T09:00:00+08:00", due)));
        await().atMost(WAIT).until(() -> receipts("N2-001").size() == 1);
        String ticketId = ticketFor("national", "N2-001").get("ticketId").asText();
        // the deadline is 3 h away and no feedback has gone: the gauge and the health show it
        await().atMost(WAIT).until(() -> dueSoonCases().contains("N2-001"));
        assertThat(gauge()).isGreaterThanOrEqualTo(1.0);

        assertThat(postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-30T09:10:00+08:00\"}").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> deliveryStates(ticketId), s -> s.equals(List.of("SENT")));
        assertThat(feedbacks("N2-001")).as("only CLOSED is reported").isEmpty();

        assertThat(postStatus(ticketId, "{\"status\":\"CLOSED\",\"at\":\"2026-11-30T16:20:00+08:00\",\"reply\":\"已修复路灯，并回访群众。\","
                + "\"handlingUnit\":\"西湖区城管局\"}").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> feedbacks("N2-001").size() == 1);
        JsonNode feedback = Json.read(feedbacks("N2-001").get(0).getBodyAsString());
        assertThat(feedback.get("ticketId").asText()).isEqualTo(ticketId);
        assertThat(feedback.get("status").asText()).isEqualTo("CLOSED");
        assertThat(feedback.get("result").asText()).isEqualTo("已修复路灯，并回访群众。");
        assertThat(feedback.get("handlingUnit").asText()).isEqualTo("西湖区城管局");
        assertThat(feedback.get("closedAt").asText()).isEqualTo("2026-11-30T16:20:00+08:00");
        await().atMost(WAIT).until(() -> deliveryStates(ticketId), s -> s.equals(List.of("SENT", "SENT")));
        await().atMost(WAIT).until(() -> !dueSoonCases().contains("N2-001"));
        NationalStubs.assertAllSigned();
    }

    @Test
    void aCaseWithoutDeadlineIsDueFiveWorkingDaysLaterOverTheNationalDayHoliday() {
        page(null, casesPage("c-3a", assigned("N3-001", "2026-09-30T10:00:00+08:00", null)));
        JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("national", "N3-001"), t -> t != null);
        // 30 Sep + 5 working days: 8, 9, 10 (Saturday make-up day), 12, 13 October, end of day in Beijing time
        assertThat(ticket.get("dueAt").asText()).isEqualTo("2026-10-13T15:59:59Z");
        assertThat(OffsetDateTime.parse(ticket.get("dueAt").asText()).atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai"))
                .toOffsetDateTime().toString()).isEqualTo("2026-10-13T23:59:59+08:00");
        NationalStubs.assertAllSigned();
    }

    @Test
    void anOutageOfTheProvinceBacksOffLosesNothingAndMakesNoDuplicateTicket() {
        StubMapping down = NATIONAL.stubFor(NationalStubs.cases(null).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("upstream maintenance")));
        await().atMost(WAIT).until(() -> failures() >= 2);
        assertThat(health().at("/components/national/details/poll/lastError").asText()).contains("503");
        assertThat(health().at("/components/national/details/poll/pauseReason").asText()).contains("back-off");

        // then it hangs past the hub's response timeout (1.5 s here)
        NATIONAL.removeStub(down);
        int failed = failures();
        StubMapping hanging = NATIONAL.stubFor(NationalStubs.cases(null).atPriority(1)
                .willReturn(aResponse().withStatus(200).withFixedDelay(2500).withBody("{}")));
        await().atMost(WAIT).until(() -> failures() > failed
                && health().at("/components/national/details/poll/lastError").asText().contains("did not answer"));

        // recovery; the receipt endpoint is down for a while too, and times out once
        NATIONAL.removeStub(hanging);
        StubMapping receiptDown = NATIONAL.stubFor(post(urlPathEqualTo("/prov/cases/N4-001/receipt")).atPriority(1)
                .willReturn(aResponse().withStatus(500)));
        page(null, casesPage("c-4a", assigned("N4-001", "2026-11-30T09:00:00+08:00", "2026-12-04T18:00:00+08:00"),
                assigned("N4-002", "2026-11-30T09:05:00+08:00", "2026-12-04T18:00:00+08:00")));
        // the province hands the same case out again on the next page: still one ticket
        page("c-4a", casesPage("c-4b", assigned("N4-002", "2026-11-30T09:05:00+08:00", "2026-12-04T18:00:00+08:00"),
                assigned("N4-003", "2026-11-30T09:10:00+08:00", "2026-12-04T18:00:00+08:00")));
        await().atMost(WAIT).until(() -> receipts("N4-001").size() >= 2);
        NATIONAL.removeStub(receiptDown);
        NATIONAL.stubFor(post(urlPathEqualTo("/prov/cases/N4-001/receipt")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withFixedDelay(2500)).inScenario("slow").whenScenarioStateIs("Started")
                .willSetStateTo("fast"));
        NATIONAL.stubFor(post(urlPathEqualTo("/prov/cases/N4-001/receipt")).atPriority(1)
                .willReturn(aResponse().withStatus(200)).inScenario("slow").whenScenarioStateIs("fast"));

        await().atMost(WAIT).until(() -> "SENT".equals(receiptState("N4-001")));
        for (String caseNo : List.of("N4-001", "N4-002", "N4-003")) {
            await().atMost(WAIT).until(() -> "SENT".equals(receiptState(caseNo)));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM ticket_origin WHERE channel = 'national' AND channel_item_id = ?",
                    Integer.class, caseNo)).as("one ticket for %s", caseNo).isEqualTo(1);
            String ticketId = ticketFor("national", caseNo).get("ticketId").asText();
            await().atMost(WAIT).until(() -> CaseSystemStub.ticketsReceived(CASE_SYSTEM, ticketId).size() == 1);
        }
        assertThat(receipts("N4-002")).as("signed for once").hasSize(1);
        assertThat(failures()).isZero();
        NationalStubs.assertAllSigned();
    }

    @Test
    void malformedCasesAreQuarantinedWithTheirReasonAndTheirNeighboursAreTicketed() {
        Map<String, Object> noCaseNo = assigned("ignored", "2026-11-30T09:00:00+08:00", "2026-12-04T18:00:00+08:00");
        noCaseNo.remove("caseNo");
        noCaseNo.put("title", "没有案件编号 N5");
        Map<String, Object> badTime = assigned("N5-BAD", "yesterday", null);
        Map<String, Object> badDeadline = assigned("N5-BAD2", "2026-11-30T09:00:00+08:00", "2026-13-45T18:00:00+08:00");
        page(null, casesPage("c-5a", assigned("N5-001", "2026-11-30T09:00:00+08:00", "2026-12-04T18:00:00+08:00"), noCaseNo, badTime,
                badDeadline, assigned("N5-002", "2026-11-30T09:00:00+08:00", "2026-12-04T18:00:00+08:00")));

        await().atMost(WAIT).until(() -> ticketFor("national", "N5-001") != null && ticketFor("national", "N5-002") != null);
        await().atMost(WAIT).until(() -> quarantined("%N5-BAD\"%").size() == 1 && quarantined("%N5-BAD2%").size() == 1);
        assertThat(quarantined("%没有案件编号 N5%")).singleElement().satisfies(q -> {
            assertThat(q.get("stage")).isEqualTo("INTAKE");
            assertThat((String) q.get("reason")).contains("case without caseNo");
            // replayed as it is, it is still without a case number: refused, not ticketed
            var replay = postJson("/api/v1/quarantine/" + q.get("id") + "/replay", "{}");
            assertThat(replay.statusCode()).isEqualTo(422);
            assertThat(replay.body()).contains("case without caseNo");
        });
        assertThat((String) quarantined("%N5-BAD\"%").get(0).get("reason")).contains("'yesterday'");
        assertThat((String) quarantined("%N5-BAD2%").get(0).get("reason")).contains("2026-13-45");
        assertThat(ticketFor("national", "N5-BAD")).isNull();
        // the receipt of a case that has no ticket is never signed, and after receipt-within (3 s here) the health says so
        await().atMost(WAIT).until(() -> health().at("/components/national/details/receiptsOverdue").toString().contains("N5-BAD"));
        assertThat(health().at("/components/national/status").asText()).isEqualTo("DOWN");
        assertThat(receipts("N5-BAD")).isEmpty();
        assertThat(receipts("N5-001")).hasSize(1);
        NationalStubs.assertAllSigned();
    }

    @Test
    void aRefusedSignatureIsShownInTheHealthAndLoggedAndPollingBacksOffUntilItIsAccepted() {
        StubMapping refused = NATIONAL.stubFor(NationalStubs.cases(null).atPriority(1)
                .willReturn(aResponse().withStatus(401).withBody("{\"code\":40101,\"message\":\"invalid signature\"}")));
        await().atMost(WAIT).until(() -> health().at("/components/national/details/problems").toString().contains("refuses our signature"));
        assertThat(health().at("/components/national/status").asText()).isEqualTo("DOWN");
        assertThat(health().at("/components/national/details/poll/lastError").asText()).contains("401").contains("invalid signature");
        int asked = NATIONAL.findAll(getRequestedFor(urlPathEqualTo("/prov/cases"))).size();
        assertThat(failures()).isGreaterThanOrEqualTo(1);

        NATIONAL.removeStub(refused);
        // the poll goes through again; now the receipt is refused (403): retried, shown, then accepted
        StubMapping receiptRefused = NATIONAL.stubFor(post(urlPathEqualTo("/prov/cases/N6-001/receipt")).atPriority(1)
                .willReturn(aResponse().withStatus(403).withBody("{\"code\":40301,\"message\":\"timestamp expired\"}")));
        page(null, casesPage("c-6a", assigned("N6-001", "2026-11-30T09:00:00+08:00", "2026-12-04T18:00:00+08:00")));
        await().atMost(WAIT).until(() -> health().at("/components/national/details/signatureRefused").toString().contains("N6-001"));
        assertThat(health().at("/components/national/details/signatureRefused/0/what").asText()).isEqualTo("receipt");
        assertThat(health().at("/components/national/details/signatureRefused/0/error").asText()).contains("403").contains("timestamp expired");
        assertThat(health().at("/components/national/details/problems").toString()).contains("refuses our signature (receipt)");
        await().atMost(WAIT).until(() -> receipts("N6-001").size() >= 2);
        assertThat(receiptState("N6-001")).isEqualTo("PENDING");

        NATIONAL.removeStub(receiptRefused);
        await().atMost(WAIT).until(() -> "SENT".equals(receiptState("N6-001")));
        await().atMost(WAIT).until(() -> !health().at("/components/national/details/problems").toString().contains("refuses our signature"));
        assertThat(NATIONAL.findAll(getRequestedFor(urlPathEqualTo("/prov/cases"))).size()).isGreaterThan(asked);
        NationalStubs.assertAllSigned();
    }

    @Test
    void aMalformedPageIsQuarantinedOnceTheCursorStaysAndPollingBacksOffUntilThePageIsReadable() {
        page(null, casesPage("c-7a", assigned("N7-001", "2026-11-30T09:00:00+08:00", "2026-12-04T18:00:00+08:00")));
        await().atMost(WAIT).until(() -> "c-7a".equals(cursor()));
        String broken = "<html><body>系统维护中</body></html>";
        StubMapping bad = NATIONAL.stubFor(NationalStubs.cases("c-7a").atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody(broken)));
        await().atMost(WAIT).until(() -> failures() >= 2);
        assertThat(jdbc.queryForList("SELECT stage, reason FROM quarantine WHERE channel = 'national' AND payload = ?", broken))
                .as("quarantined once, though fetched again").singleElement()
                .satisfies(q -> assertThat((String) q.get("reason")).contains("malformed page"));
        assertThat(cursor()).isEqualTo("c-7a");

        NATIONAL.removeStub(bad);
        page("c-7a", casesPage("c-7b", assigned("N7-002", "2026-11-30T09:00:00+08:00", "2026-12-04T18:00:00+08:00")));
        await().atMost(WAIT).until(() -> receipts("N7-002").size() == 1);
        await().atMost(WAIT).until(() -> "c-7b".equals(cursor()));
        NationalStubs.assertAllSigned();
    }

    // ---- helpers

    private static Map<String, Object> assigned(String caseNo, String assignedAt, String deadline) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("caseNo", caseNo);
        c.put("source", "国家政务服务投诉与建议");
        c.put("title", "案件 " + caseNo);
        c.put("content", "反映小区路灯长期不亮，夜间出行不便。(" + caseNo + ")");
        c.put("requester", Map.of("name", "张三", "phone", "13912345678"));
        c.put("region", "330106");
        c.put("assignedAt", assignedAt);
        if (deadline != null) {
            c.put("deadline", deadline);
        }
        return c;
    }

    @SafeVarargs
    private static String casesPage(String nextCursor, Map<String, Object>... cases) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("cases", List.of(cases));
        p.put("nextCursor", nextCursor);
        return Json.write(p);
    }

    private String cursor() {
        List<String> rows = jdbc.queryForList("SELECT run_resume FROM poll_cursor WHERE channel = 'national' AND source = 'cases'", String.class);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private int failures() {
        return jdbc.queryForList("SELECT failures FROM poll_cursor WHERE channel = 'national' AND source = 'cases'", Integer.class)
                .stream().findFirst().orElse(0);
    }

    private String receiptState(String caseNo) {
        return jdbc.queryForList("SELECT state FROM national_case WHERE case_no = ?", String.class, caseNo).stream().findFirst().orElse(null);
    }

    private List<String> deliveryStates(String ticketId) {
        return jdbc.queryForList("SELECT state FROM reply_delivery WHERE ticket_id = ? ORDER BY id", String.class, ticketId);
    }

    private List<Map<String, Object>> quarantined(String payloadLike) {
        return jdbc.queryForList("SELECT id, stage, reason FROM quarantine WHERE channel = 'national' AND payload LIKE ?", payloadLike);
    }

    private String dueSoonCases() {
        return health().at("/components/national/details/feedbackDueSoon").toString();
    }

    private double gauge() {
        String metrics = get("/actuator/prometheus").body();
        List<Double> values = new ArrayList<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("hub_national_feedback_due_soon")) {
                values.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        assertThat(values).as("hub_national_feedback_due_soon in /actuator/prometheus").hasSize(1);
        return values.get(0);
    }
}
