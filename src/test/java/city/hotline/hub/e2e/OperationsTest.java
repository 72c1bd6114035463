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
                .contains("Accepted webform item ops-139****4321-" + suffix);
        assertThat(output.getOut()).doesNotContain("13987654321");
    }
}
