package city.hotline.hub.channel.cti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/** Issue 9, the join: CDR, recording and work order on one ticket, whatever their order and however often. */
class CtiJoinTest extends CtiIntegrationSupport {

    @Autowired
    MeterRegistry meters;

    static Stream<String> sixOrders() {
        return Stream.of("WCR", "WRC", "CWR", "CRW", "RWC", "RCW");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sixOrders")
    void workOrderCallRecordAndRecordingInAnyOrderMakeOneTicketWithAllParts(String order) {
        String callId = newCallId();
        for (char part : order.toCharArray()) {
            postPart(part, callId);
        }
        JsonNode ticket = awaitTicket(callId, t -> t.path("call").has("agent") && t.has("attachments") && t.has("satisfaction"));
        assertThat(ticket.path("origins").get(0).path("channel").asText()).isEqualTo("cti");
        assertThat(ticket.path("origins").get(0).path("channelItemId").asText()).isEqualTo(callId);
        assertThat(ticket.path("title").asText()).isEqualTo("夜间施工噪音");
        assertThat(ticket.path("requestType").asText()).isEqualTo("COMPLAINT");
        // the CDR: caller number (Tencent's 0086 form), times, IVR path, agent, queue
        assertThat(ticket.path("requester").path("phone").asText()).isEqualTo("+8613912345678");
        JsonNode call = ticket.path("call");
        assertThat(call.path("callerNumber").asText()).isEqualTo("+8613912345678");
        assertThat(call.path("startedAt").asText()).isEqualTo("2020-12-16T14:56:40Z");
        assertThat(call.path("answeredAt").asText()).isEqualTo("2020-12-16T14:56:55Z");
        assertThat(call.path("endedAt").asText()).isEqualTo("2020-12-16T14:57:30Z");
        assertThat(call.path("ivrPath").toString()).isEqualTo("[\"1 投诉举报\",\"3 城市管理\"]");
        assertThat(call.path("agent").asText()).isEqualTo("1024");
        assertThat(call.path("queue").asText()).isEqualTo("城管热线组");
        // the recording: its link, not fetched
        assertThat(call.path("recordingUrl").asText()).startsWith("http://recorder-10018504.cos.ap-shanghai.myqcloud.com/" + callId);
        assertThat(ticket.path("attachments").get(0).path("url").asText()).isEqualTo(call.path("recordingUrl").asText());
        // PostIVRKeyPressed [{"Key":"1","Label":"非常满意"}]
        assertThat(ticket.path("satisfaction").asText()).isEqualTo("VERY_SATISFIED");

        // the case system: one creation, and the parts as updates, the last one complete
        String ticketId = ticket.path("ticketId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<LoggedRequest> puts = CaseSystemStub.updatesReceived(CASE_SYSTEM, ticketId);
            return !puts.isEmpty() && Json.read(puts.get(puts.size() - 1).getBodyAsString()).path("call").has("recordingUrl")
                    && Json.read(puts.get(puts.size() - 1).getBodyAsString()).path("call").has("agent");
        });
        assertThat(CaseSystemStub.ticketsReceived(CASE_SYSTEM, ticketId)).hasSize(1);
        assertThat(parts(callId, "CDR")).isEqualTo(1);
        assertThat(partState(callId, "CDR")).isEqualTo("APPLIED");
        assertThat(partState(callId, "RECORDING")).isEqualTo("APPLIED");
    }

    @Test
    void partsOfOneCallPostedAllAtOnceEndUpOnOneTicket() {
        String callId = newCallId();
        // each part twice, all six pushes at the same moment: the parts' claims and the ticket's row lock serialise them
        List<java.util.concurrent.CompletableFuture<Void>> pushes = new java.util.ArrayList<>();
        for (char part : "WCRWCR".toCharArray()) {
            pushes.add(java.util.concurrent.CompletableFuture.runAsync(() -> postPart(part, callId)));
        }
        pushes.forEach(java.util.concurrent.CompletableFuture::join);
        JsonNode ticket = awaitTicket(callId, t -> t.path("call").has("agent") && t.has("attachments"));
        assertThat(ticket.path("attachments")).hasSize(1);
        assertThat(parts(callId, "CDR")).isEqualTo(1);
        assertThat(parts(callId, "RECORDING")).isEqualTo(1);
        assertThat(CaseSystemStub.ticketsReceived(CASE_SYSTEM, ticket.path("ticketId").asText())).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aCallRecordDeliveredThreeTimesChangesTheTicketOnce() {
        String callId = newCallId();
        postPart('W', callId);
        for (int i = 0; i < 3; i++) {
            postPart('C', callId);
        }
        JsonNode ticket = awaitTicket(callId, t -> t.path("call").has("agent"));
        String ticketId = ticket.path("ticketId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> CaseSystemStub.updatesReceived(CASE_SYSTEM, ticketId).size() == 1);
        assertThat(parts(callId, "CDR")).as("the repeats were not stored").isEqualTo(1);
        Long added = jdbc.queryForObject("SELECT count(*) FROM ticket_event WHERE ticket_id = ? AND kind = 'CALL_PART_ADDED'",
                Long.class, ticketId);
        assertThat(added).isEqualTo(1);
        // and a fourth, after it was joined: still nothing
        postPart('C', callId);
        assertThat(parts(callId, "CDR")).isEqualTo(1);
        assertThat(ticketFor("cti", callId).path("updatedAt").asText()).isEqualTo(ticket.path("updatedAt").asText());
    }

    @Test
    void theSameWebhookIdDeliveredTwiceStoresOnce() {
        String callId = newCallId();
        String body = fixture("tencent-record.json", callId);
        assertThat(postSigned("/channels/cti/events?action=record", body, "msg_same_" + callId, CTI_SECRET).statusCode()).isEqualTo(200);
        jdbc.update("DELETE FROM cti_call_part WHERE call_id = ?", callId);
        assertThat(postSigned("/channels/cti/events?action=record", body, "msg_same_" + callId, CTI_SECRET).statusCode()).isEqualTo(200);
        assertThat(parts(callId, "RECORDING")).as("a repeated webhook-id has no effect").isZero();
    }

    @Test
    void aCallRecordArrivingLongAfterTheWorkOrderReachesTheCaseSystemAsAnUpdate() {
        String callId = newCallId();
        postPart('W', callId);
        JsonNode ticket = awaitTicket(callId, t -> "FORWARDED".equals(t.path("status").asText()));
        String ticketId = ticket.path("ticketId").asText();
        assertThat(ticket.path("requester").has("phone")).isFalse();
        assertThat(CaseSystemStub.ticketsReceived(CASE_SYSTEM, ticketId)).hasSize(1);
        assertThat(CaseSystemStub.updatesReceived(CASE_SYSTEM, ticketId)).isEmpty();

        postPart('C', callId);
        await().atMost(Duration.ofSeconds(20)).until(() -> CaseSystemStub.updatesReceived(CASE_SYSTEM, ticketId).size() == 1);
        LoggedRequest put = CaseSystemStub.updatesReceived(CASE_SYSTEM, ticketId).get(0);
        JsonNode sent = Json.read(put.getBodyAsString());
        assertThat(sent.path("requester").path("phone").asText()).isEqualTo("+8613912345678");
        assertThat(sent.path("call").path("agent").asText()).isEqualTo("1024");
        assertThat(put.getHeader("Idempotency-Key")).startsWith(ticketId + ":");
        assertThat(CaseSystemStub.ticketsReceived(CASE_SYSTEM, ticketId)).as("never a second POST").hasSize(1);
    }

    @Test
    void anAbandonedCallIsCountedOnceAndNeverTicketed() {
        String callId = newCallId();
        double before = meters.counter("hub.cti.calls.abandoned").count();
        for (int i = 0; i < 2; i++) {
            assertThat(postEvent("?action=cdr&version=1", fixture("tencent-cdr-abandoned.json", callId)).statusCode()).isEqualTo(200);
        }
        assertThat(meters.counter("hub.cti.calls.abandoned").count()).isEqualTo(before + 1);
        assertThat(partState(callId, "CDR")).isEqualTo("ABANDONED");
        assertThat(ticketFor("cti", callId)).isNull();
    }

    /** Through the route, as the scheduler runs it: a CDR older than orphan-after (24 h) is reported. */
    @Test
    void theOrphanRouteReportsACallRecordOlderThanOrphanAfter(@Autowired org.apache.camel.CamelContext camel) {
        String callId = newCallId();
        postPart('C', callId);
        jdbc.update("UPDATE cti_call_part SET received_at = now() - interval '25 hours' WHERE call_id = ?", callId);
        ((org.apache.camel.support.ScheduledPollConsumer) camel.getRoute("cti-orphans-poll").getConsumer()).run();
        assertThat(jdbc.queryForObject("SELECT orphan_reported_at IS NOT NULL FROM cti_call_part WHERE call_id = ?", Boolean.class, callId))
                .isTrue();
    }

    @Test
    void aCallRecordWithoutWorkOrderIsReportedAsOrphanNotTicketed(@Autowired CtiOrphans orphans) {
        String callId = newCallId();
        postPart('C', callId);
        double before = meters.counter("hub.cti.orphans").count();
        assertThat(orphans.report(java.time.Instant.now().plusSeconds(1))).isGreaterThanOrEqualTo(1);
        assertThat(meters.counter("hub.cti.orphans").count()).isGreaterThanOrEqualTo(before + 1);
        assertThat(jdbc.queryForObject("SELECT orphan_reported_at IS NOT NULL FROM cti_call_part WHERE call_id = ?", Boolean.class, callId))
                .isTrue();
        assertThat(ticketFor("cti", callId)).isNull();
        assertThat(health().path("components").path("cti").path("details").path("orphanCallRecords").asLong()).isGreaterThanOrEqualTo(1);
        // reported once, not again
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cti_call_part WHERE call_id = ? AND orphan_reported_at IS NOT NULL",
                Long.class, callId)).isEqualTo(1);
    }
}
