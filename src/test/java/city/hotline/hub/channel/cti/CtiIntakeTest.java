package city.hotline.hub.channel.cti;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import city.hotline.hub.relay.StatusSignature;
import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Issue 9, intake: verification, the vendors' formats, bad bodies, satisfaction and recording links. */
class CtiIntakeTest extends CtiIntegrationSupport {

    @Test
    void aPushSignedWithAnotherSecretIs401AndNothingIsStored() {
        String callId = newCallId();
        long quarantined = quarantined();
        HttpResponse<String> cdr = postSigned("/channels/cti/events?action=cdr", fixture("tencent-cdr.json", callId), "msg_x1", "not-the-secret");
        HttpResponse<String> order = postSigned("/channels/cti/work-orders", fixture("work-order.json", callId), "msg_x2", "not-the-secret");
        assertThat(cdr.statusCode()).isEqualTo(401);
        assertThat(order.statusCode()).isEqualTo(401);
        assertThat(cdr.body()).contains("signature");
        assertThat(parts(callId, "CDR")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE channel = 'cti' AND channel_item_id = ?", Long.class, callId)).isZero();
        assertThat(quarantined()).as("a refused push is not quarantined either").isEqualTo(quarantined);
    }

    @Test
    void anUnsignedStaleOrTamperedPushIs401() {
        String callId = newCallId();
        String body = fixture("tencent-record.json", callId);
        assertThat(postUnsigned("/channels/cti/events?action=record", body).statusCode()).isEqualTo(401);
        // signed ten minutes ago: outside the 5-minute tolerance
        long old = Instant.now().minusSeconds(600).getEpochSecond();
        HttpResponse<String> stale = send(HttpRequest.newBuilder(URI.create(url("/channels/cti/events?action=record")))
                .header("Content-Type", TENCENT_TYPE).header("webhook-id", "msg_old").header("webhook-timestamp", Long.toString(old))
                .header("webhook-signature", StatusSignature.sign(CTI_SECRET, "msg_old", old, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
        assertThat(stale.statusCode()).isEqualTo(401);
        // signed, then the body changed on the way
        long now = Instant.now().getEpochSecond();
        HttpResponse<String> tampered = send(HttpRequest.newBuilder(URI.create(url("/channels/cti/events?action=record")))
                .header("Content-Type", TENCENT_TYPE).header("webhook-id", "msg_t").header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", StatusSignature.sign(CTI_SECRET, "msg_t", now, body))
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("recorder", "evil"), StandardCharsets.UTF_8)).build());
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(parts(callId, "RECORDING")).isZero();
    }

    @Test
    void aVendorThatCannotSignUsesThePathToken() {
        String callId = newCallId();
        assertThat(postUnsigned("/channels/cti/events/wrong-token", fixture("yeastar-newcdr.json", callId)).statusCode()).isEqualTo(401);
        assertThat(parts(callId, "CDR")).isZero();
        assertThat(postUnsigned("/channels/cti/events/" + CTI_PATH_TOKEN, fixture("yeastar-newcdr.json", callId)).statusCode()).isEqualTo(200);
        assertThat(parts(callId, "CDR")).isEqualTo(1);
        assertThat(postUnsigned("/channels/cti/work-orders/" + CTI_PATH_TOKEN, fixture("work-order.json", callId)).statusCode()).isEqualTo(202);
        awaitTicket(callId, t -> t.path("call").has("agent"));
    }

    @Test
    void aMalformedBodyIsQuarantinedWithItsReasonAndAnswered400() {
        String callId = newCallId();
        HttpResponse<String> notJson = postEvent("?action=cdr&version=1", "{\"SessionId\":\"" + callId + "\",");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("malformed JSON").contains("quarantined as");
        HttpResponse<String> noCall = postEvent("?action=cdr&version=1", fixture("tencent-cdr.json", callId).replace("\"SessionId\"", "\"Session\""));
        assertThat(noCall.statusCode()).isEqualTo(400);
        assertThat(noCall.body()).contains("no call id");
        HttpResponse<String> unknown = postEvent("", "{\"hello\":\"" + callId + "\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("not a CTI push");
        HttpResponse<String> order = postWorkOrder("{\"requester\":{\"name\":\"李\"},\"content\":\"" + callId + "\"}");
        assertThat(order.statusCode()).isEqualTo(400);
        assertThat(order.body()).contains("no callId");

        JsonNode items = getJson("/api/v1/quarantine").get("items");
        long ours = 0;
        for (JsonNode item : items) {
            if ("cti".equals(item.path("channel").asText()) && item.path("stage").asText().equals("INTAKE")) {
                ours++;
            }
        }
        assertThat(ours).isGreaterThanOrEqualTo(4);
        assertThat(items.toString()).contains("malformed JSON").contains("the push names no call id").contains("the work order has no callId");
        assertThat(parts(callId, "CDR")).isZero();
    }

    @Test
    void yeastarNewCdrWithItsMisspeltKeysJoinsTheTicket() {
        String callId = "1571897930." + (System.nanoTime() % 100000);
        postPart('W', callId);
        assertThat(postEvent("", fixture("yeastar-newcdr.json", callId)).statusCode()).isEqualTo(200);
        JsonNode call = awaitTicket(callId, t -> t.path("call").has("agent")).path("call");
        assertThat(call.path("vendor").asText()).isEqualTo("yeastar");
        assertThat(call.path("callerNumber").asText()).isEqualTo("+8673184567890");
        assertThat(call.path("agent").asText()).isEqualTo("2023");
        assertThat(call.path("startedAt").asText()).isEqualTo("2019-10-23T14:18:50Z");
        assertThat(call.path("durationSeconds").asInt()).as("callduraction").isEqualTo(19);
        assertThat(call.path("talkSeconds").asInt()).as("talkduraction").isEqualTo(14);
        assertThat(call.path("recordingFile").asText()).isEqualTo("20191024201242-1571897930.5-203-201-Inbound.wav");
    }

    @Test
    void yeastarPSeriesWithJsonInsideAStringJoinsTheTicket() {
        String callId = "1621565952." + (System.nanoTime() % 100000);
        assertThat(postEvent("", fixture("yeastar-p-30012.json", callId)).statusCode()).isEqualTo(200);
        postPart('W', callId);
        JsonNode call = awaitTicket(callId, t -> t.path("call").has("agent")).path("call");
        assertThat(call.path("callerNumber").asText()).isEqualTo("+8613912345678");
        assertThat(call.path("startedAt").asText()).isEqualTo("2021-05-21T02:59:12Z");
        assertThat(call.path("agent").asText()).isEqualTo("2000");
        assertThat(call.path("durationSeconds").asInt()).isEqualTo(9);
    }

    @Test
    void aFollowUpAnswerSetsSatisfactionAndTheCaseSystemHearsOfIt() {
        String callId = newCallId();
        postPart('W', callId);
        String ticketId = awaitTicket(callId, t -> "FORWARDED".equals(t.path("status").asText())).path("ticketId").asText();
        assertThat(postEvent("?action=followup", "{\"callId\":\"" + callId + "\",\"ticketId\":\"" + ticketId + "\",\"key\":\"4\"}")
                .statusCode()).isEqualTo(200);
        assertThat(awaitTicket(callId, t -> t.has("satisfaction")).path("satisfaction").asText()).isEqualTo("DISSATISFIED");
        await().atMost(Duration.ofSeconds(20)).until(() -> CaseSystemStub.updatesReceived(CASE_SYSTEM, ticketId).stream()
                .anyMatch(r -> "DISSATISFIED".equals(Json.read(r.getBodyAsString()).path("satisfaction").asText())));
        // an answer on none of the five levels is bad data
        HttpResponse<String> bad = postEvent("?action=followup", "{\"callId\":\"" + callId + "\",\"key\":\"9\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void aRecordingLinkThatAnswers403IsKeptAndNeverFetched() {
        CALLBACKS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching("/rec/.*")).willReturn(aResponse().withStatus(403).withBody("<Error>AccessDenied</Error>")));
        String callId = newCallId();
        String link = CALLBACKS.baseUrl() + "/rec/" + callId + ".mp3?sign=expired";
        postPart('W', callId);
        String record = fixture("tencent-record.json", callId).replaceAll("\"RecordURL\":\"[^\"]*\"", "\"RecordURL\":\"" + link + "\"");
        assertThat(postEvent("?action=record", record).statusCode()).isEqualTo(200);
        JsonNode ticket = awaitTicket(callId, t -> t.has("attachments"));
        assertThat(ticket.path("attachments").get(0).path("url").asText()).isEqualTo(link);
        assertThat(ticket.path("status").asText()).isIn("RECEIVED", "FORWARDED");
        assertThat(CALLBACKS.findAll(getRequestedFor(urlPathMatching("/rec/.*")))).isEmpty();
    }

    @Test
    void aQuarantinedPushIsReplayedOnceItsCauseIsFixedAndRefusedWhileStillUnreadable(
            @Autowired city.hotline.hub.store.QuarantineStore quarantine) {
        String callId = newCallId();
        HttpResponse<String> bad = postEvent("?action=record", "{\"SessionId\":\"" + callId + "\",");
        assertThat(bad.statusCode()).isEqualTo(400);
        long badId = jdbc.queryForObject("SELECT max(id) FROM quarantine WHERE channel = 'cti' AND payload LIKE ?", Long.class,
                "%" + callId + "%");
        HttpResponse<String> still = postJson("/api/v1/quarantine/" + badId + "/replay", "{}");
        assertThat(still.statusCode()).isEqualTo(422);
        assertThat(still.body()).contains("malformed JSON");

        // a push quarantined while its mapping was broken, say; readable now
        com.fasterxml.jackson.databind.node.ObjectNode raw = Json.object();
        raw.put("path", "/channels/cti/events");
        raw.put("action", "record");
        raw.put("body", fixture("tencent-record.json", callId));
        long id = quarantine.add("cti", city.hotline.hub.store.QuarantineStore.Stage.INTAKE, null, null, "the mapping failed", Json.write(raw));
        assertThat(postJson("/api/v1/quarantine/" + id + "/replay", "{}").statusCode()).isEqualTo(202);
        assertThat(parts(callId, "RECORDING")).isEqualTo(1);
    }

    private long quarantined() {
        return jdbc.queryForObject("SELECT count(*) FROM quarantine WHERE channel = 'cti'", Long.class);
    }
}
