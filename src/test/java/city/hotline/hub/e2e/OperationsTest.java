package city.hotline.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import city.hotline.hub.support.HubIntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class OperationsTest extends HubIntegrationTest {

    @Test
    void healthShowsTheDatabaseTheBrokerAndTheCaseSystem() {
        JsonNode components = health().get("components");
        assertThat(components.at("/db/status").asText()).isEqualTo("UP");
        assertThat(components.at("/jms/status").asText()).isEqualTo("UP");
        assertThat(components.has("caseSystem")).isTrue();
        assertThat(components.at("/caseSystem/details/url").asText()).isEqualTo(CASE_SYSTEM.baseUrl() + "/api");
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void anonymousCallersSeeOnlyTheHealthStatusAndNoOtherOperationsEndpoint() {
        java.net.http.HttpResponse<String> health = anonymous("/actuator/health");
        JsonNode body = city.hotline.hub.ticket.Json.read(health.body());
        assertThat(body.has("status")).isTrue();
        assertThat(body.has("components")).as(health.body()).isFalse();
        assertThat(body.has("details")).isFalse();
        assertThat(anonymous("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(anonymous("/actuator/health/readiness").body()).doesNotContain("components");
        for (String path : java.util.List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/info", "/actuator")) {
            assertThat(anonymous(path).statusCode()).as(path).isEqualTo(401);
        }
        // a key that is not configured counts as anonymous
        assertThat(withKey("/actuator/prometheus", "guess").statusCode()).isEqualTo(401);
    }

    @Test
    void healthDetailsAndPrometheusNeedTheKeyOfAClientWithOps() {
        // hub.api.keys is the client "default": admin and ops
        assertThat(withKey("/actuator/prometheus", API_KEY).statusCode()).isEqualTo(200);
        assertThat(health().has("components")).isTrue();
        // a client without ops: true is refused, and sees health as anyone does
        assertThat(withKey("/actuator/prometheus", VIEWER_KEY).statusCode()).isEqualTo(403);
        assertThat(withKey("/actuator/health", VIEWER_KEY).body()).doesNotContain("components");
    }

    private java.net.http.HttpResponse<String> anonymous(String path) {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path))).GET().build());
    }

    private java.net.http.HttpResponse<String> withKey(String path, String key) {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path))).header("X-Api-Key", key).GET().build());
    }

    @Test
    void prometheusShowsIntakeForwardingRedeliveryAndQuarantineFigures() {
        String externalId = "ops-" + UUID.randomUUID();
        postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"噪音扰民\"}");
        postJson("/api/v1/intake/webform", "{\"externalId\":1}");
        await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId), t -> t != null && "FORWARDED".equals(t.get("status").asText()));

        String metrics = get("/actuator/prometheus").body();

        assertThat(metrics).containsPattern("hub_intake_items_total\\{channel=\"webform\",outcome=\"accepted\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("hub_intake_items_total\\{channel=\"webform\",outcome=\"rejected\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("hub_forward_latency_seconds_count\\{backend=\"case-system\"[^}]*} [1-9]");
        assertThat(metrics).contains("hub_forward_redeliveries_total");
        assertThat(metrics).containsPattern("hub_quarantine_open(\\{[^}]*})? [0-9]");
        assertThat(metrics).contains("hub_forward_pending");
    }

    @Test
    void logLinesCarryTheTicketIdAndNeverAFullPhoneNumber(CapturedOutput output) {
        // a form that uses the citizen's phone number as its item id: it appears in the intake log lines
        String suffix = UUID.randomUUID().toString();
        String externalId = "ops-13987654321-" + suffix;
        postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"请回电 13987654321，谢谢\",\"requester\":{\"phone\":\"13987654321\"}}");
        String ticketId = await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId),
                t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
        // the ticket as forwarded still has the full number: only logs are masked
        assertThat(getJson("/api/v1/tickets/" + ticketId).at("/requester/phone").asText()).isEqualTo("+8613987654321");
        postStatus(ticketId, "{\"status\":\"REPLIED\",\"reply\":\"已联系 13987654321 的市民\",\"at\":\"2026-11-28T10:00:00+08:00\"}");

        assertThat(output.getOut()).contains("[ticket=" + ticketId + "]").contains("Created ticket " + ticketId)
                .contains("from webform item ops-139****4321-" + suffix);
        assertThat(output.getOut()).doesNotContain("13987654321");
        // every line about this ticket carries this ticket's id, never another one left on a pooled thread
        assertThat(output.getOut().lines().filter(l -> l.contains(": Created ticket " + ticketId)
                || l.contains("Ticket " + ticketId + " delivered") || l.contains("Reply REPLIED of ticket " + ticketId)))
                .isNotEmpty().allSatisfy(l -> assertThat(l).contains("[ticket=" + ticketId + "]"));
    }

    @Test
    void exceptionMessagesAndStackTracesInTheLogAreMaskedToo(CapturedOutput output) {
        org.slf4j.LoggerFactory.getLogger(OperationsTest.class).error("storing failed",
                new IllegalStateException("row refused", new IllegalArgumentException("value 13987650000 / 43010219850101123X too long")));
        assertThat(output.getOut()).contains("139****0000").contains("430102********123X").contains("Caused by:");
        assertThat(output.getOut()).doesNotContain("13987650000").doesNotContain("43010219850101123X");
    }
}
