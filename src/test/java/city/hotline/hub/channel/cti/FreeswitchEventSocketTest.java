package city.hotline.hub.channel.cti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 9, the on-premises PBX: the hub as a client of FreeSWITCH's event socket (route cti-freeswitch,
 * camel-netty), against a stub that speaks mod_event_socket's frames: auth, subscription, events in
 * text/event-plain (URL-encoded values) and text/event-json, and a dropped connection.
 */
class FreeswitchEventSocketTest extends CtiIntegrationSupport {

    private static EslStub stub;
    private EslStub.Connection connection;

    @Autowired
    CamelContext camel;
    @Autowired
    EslSession session;

    @BeforeAll
    static void startStub() throws Exception {
        stub = new EslStub();
    }

    @AfterAll
    static void stopStub() throws Exception {
        stub.close();
    }

    @BeforeEach
    void connect() throws Exception {
        camel.getRouteController().startRoute(FreeswitchConnection.ROUTE);
        connection = stub.nextConnection(20);
        assertThat(connection).as("the hub connected to the event socket").isNotNull();
        assertThat(connection.handshake()).isEqualTo("event plain CHANNEL_HANGUP_COMPLETE RECORD_STOP");
        await().atMost(Duration.ofSeconds(10)).until(() -> session.state() == EslSession.State.SUBSCRIBED);
    }

    @AfterEach
    void disconnect() throws Exception {
        camel.getRouteController().stopRoute(FreeswitchConnection.ROUTE);
        connection.close();
    }

    @Test
    void plainEventsWithUrlEncodedValuesBecomeTheCallRecordAndRecording() throws Exception {
        String callId = newCallId();
        postPart('W', callId);
        connection.sendEvent("text/event-plain", hangupPlain(callId, "inbound", callId));
        // the agent's leg of the same call: its own Unique-ID, direction outbound; not a call record
        String agentLeg = newCallId();
        connection.sendEvent("text/event-plain", hangupPlain(agentLeg, "outbound", callId));
        connection.sendEvent("text/event-plain", "Event-Name: RECORD_STOP\nUnique-ID: " + callId
                + "\nRecord-File-Path: %2Fvar%2Flib%2Ffreeswitch%2Frecordings%2F" + callId + ".wav\n\n");

        JsonNode call = awaitTicket(callId, t -> t.path("call").has("agent") && t.path("call").has("recordingFile")).path("call");
        assertThat(call.path("vendor").asText()).isEqualTo("freeswitch");
        assertThat(call.path("callerNumber").asText()).isEqualTo("+8673184567890");
        assertThat(call.path("agent").asText()).isEqualTo("1001@default");
        assertThat(call.path("queue").asText()).isEqualTo("城管热线@default");
        assertThat(call.path("startedAt").asText()).isEqualTo("2025-11-30T10:00:00Z");
        assertThat(call.path("answeredAt").asText()).isEqualTo("2025-11-30T10:00:15Z");
        assertThat(call.path("talkSeconds").asInt()).isEqualTo(85);
        assertThat(call.path("hungUpBy").asText()).isEqualTo("user");
        assertThat(call.path("recordingFile").asText()).isEqualTo("/var/lib/freeswitch/recordings/" + callId + ".wav");
        assertThat(parts(agentLeg, "CDR")).isZero();
    }

    @Test
    void jsonEventsAreReadToo() throws Exception {
        String callId = newCallId();
        connection.sendEvent("text/event-json", "{\"Event-Name\":\"CHANNEL_HANGUP_COMPLETE\",\"Core-UUID\":\"6f1c2b3a\","
                + "\"Event-Date-Timestamp\":\"1764496900000000\",\"Unique-ID\":\"" + callId + "\",\"Call-Direction\":\"inbound\","
                + "\"Caller-Caller-ID-Number\":\"+8613912345678\",\"Caller-Destination-Number\":\"12345\",\"Hangup-Cause\":\"NORMAL_CLEARING\","
                + "\"variable_start_epoch\":\"1764496800\",\"variable_bridge_epoch\":\"1764496815\",\"variable_end_epoch\":\"1764496900\","
                + "\"variable_billsec\":\"85\",\"variable_cc_agent\":\"1002@default\",\"variable_cc_queue\":\"城管热线@default\"}");
        postPart('W', callId);
        JsonNode call = awaitTicket(callId, t -> t.path("call").has("agent")).path("call");
        assertThat(call.path("callerNumber").asText()).isEqualTo("+8613912345678");
        assertThat(call.path("agent").asText()).isEqualTo("1002@default");
        assertThat(call.path("endedAt").asText()).isEqualTo("2025-11-30T10:01:40Z");
    }

    @Test
    void aCallThatNeverReachedAnAgentIsAbandoned() throws Exception {
        String callId = newCallId();
        connection.sendEvent("text/event-plain", "Event-Name: CHANNEL_HANGUP_COMPLETE\nUnique-ID: " + callId
                + "\nCall-Direction: inbound\nCaller-Caller-ID-Number: 13912345678\nHangup-Cause: ORIGINATOR_CANCEL\n"
                + "variable_start_epoch: 1764496800\nvariable_bridge_epoch: 0\nvariable_end_epoch: 1764496820\n\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> parts(callId, "CDR") == 1);
        assertThat(partState(callId, "CDR")).isEqualTo("ABANDONED");
    }

    @Test
    void aDroppedConnectionIsReconnectedAndHealthShowsIt() throws Exception {
        assertThat(health().path("components").path("cti").path("details").path("freeswitch").asText()).isEqualTo("SUBSCRIBED");
        connection.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> session.state() == EslSession.State.DISCONNECTED);
        assertThat(health().path("components").path("cti").path("details").path("freeswitchConnected").asBoolean()).isFalse();

        connection = stub.nextConnection(20);
        assertThat(connection).as("the hub connected again").isNotNull();
        connection.handshake();
        await().atMost(Duration.ofSeconds(10)).until(() -> session.state() == EslSession.State.SUBSCRIBED);
        assertThat(health().path("components").path("cti").path("details").path("freeswitchConnected").asBoolean()).isTrue();

        String callId = newCallId();
        connection.sendEvent("text/event-plain", hangupPlain(callId, "inbound", callId));
        await().atMost(Duration.ofSeconds(10)).until(() -> parts(callId, "CDR") == 1);
    }

    @Test
    void aFrameThatIsNoEventIsQuarantinedAndTheConnectionStays() throws Exception {
        connection.sendEvent("text/event-json", "{\"Event-Name\":\"CHANNEL_HANGUP_COMPLETE\",");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM quarantine WHERE channel = 'cti' AND reason LIKE 'FreeSWITCH event:%'", Long.class) >= 1);
        String callId = newCallId();
        connection.sendEvent("text/event-plain", hangupPlain(callId, "inbound", callId));
        await().atMost(Duration.ofSeconds(10)).until(() -> parts(callId, "CDR") == 1);
    }

    /** A CHANNEL_HANGUP_COMPLETE in text/event-plain: header lines, values URL-encoded. */
    private static String hangupPlain(String uniqueId, String direction, String callerLeg) {
        return "Event-Name: CHANNEL_HANGUP_COMPLETE\n"
                + "Core-UUID: 6f1c2b3a-0000-4000-8000-000000000001\n"
                + "Event-Date-Local: 2025-11-30%2018%3A01%3A40\n"
                + "Event-Date-Timestamp: 1764496900000000\n"
                + "Event-Sequence: 4711\n"
                + "Unique-ID: " + uniqueId + "\n"
                + "Call-Direction: " + direction + "\n"
                + "Caller-Caller-ID-Number: 0731-84567890\n"
                + "Caller-Destination-Number: 12345\n"
                + "Other-Leg-Unique-ID: " + (uniqueId.equals(callerLeg) ? "b-leg-" + uniqueId : callerLeg) + "\n"
                + "Other-Leg-Destination-Number: 1001\n"
                + "Hangup-Cause: NORMAL_CLEARING\n"
                + "variable_start_epoch: 1764496800\n"
                + "variable_bridge_epoch: 1764496815\n"
                + "variable_end_epoch: 1764496900\n"
                + "variable_duration: 100\n"
                + "variable_billsec: 85\n"
                + "variable_cc_agent: 1001%40default\n"
                + "variable_cc_queue: %E5%9F%8E%E7%AE%A1%E7%83%AD%E7%BA%BF%40default\n"
                + "variable_sip_hangup_disposition: recv_bye\n\n";
    }
}
