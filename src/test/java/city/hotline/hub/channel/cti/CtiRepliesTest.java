package city.hotline.hub.channel.cti;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/** Issue 9, the way back: SMS through the gateway stub (Aliyun SendSms), and the follow-up task on CLOSED. */
class CtiRepliesTest extends CtiIntegrationSupport {

    private static final String OK = "{\"Code\":\"OK\",\"Message\":\"OK\",\"BizId\":\"900619746936498440^0\",\"RequestId\":\"F655A8D5\"}";

    @Autowired
    ConnectionFactory connectionFactory;

    @BeforeEach
    void gateway() {
        CALLBACKS.stubFor(post(urlEqualTo("/sms/")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(OK)));
    }

    @Test
    void acceptedAndRepliedReachTheCallerBySmsWithTheTicketNumber() {
        // the work order has no number: the call record brings it
        String callId = newCallId();
        postPart('W', callId);
        postPart('C', callId);
        String ticketId = awaitTicket(callId, t -> t.path("requester").has("phone")).path("ticketId").asText();

        assertThat(postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T09:00:00+08:00\"}").statusCode()).isEqualTo(200);
        Map<String, String> accepted = awaitSms(ticketId, 1).get(0);
        assertThat(accepted.get("Action")).isEqualTo("SendSms");
        assertThat(accepted.get("PhoneNumbers")).isEqualTo("13912345678");
        assertThat(accepted.get("TemplateCode")).isEqualTo("SMS_12345");
        assertThat(accepted.get("AccessKeyId")).isEqualTo("test-sms-key");
        JsonNode params = Json.read(accepted.get("TemplateParam"));
        assertThat(params.path("ticket").asText()).as("the whole ticket number").isEqualTo(ticketId);
        assertThat(params.path("status").asText()).isEqualTo("已受理");
        // what the gateway checks: the signature over every other parameter, with our secret
        Map<String, String> unsigned = new LinkedHashMap<>(accepted);
        String signature = unsigned.remove("Signature");
        assertThat(AliyunSmsSignature.sign("POST", unsigned, "test-sms-secret")).isEqualTo(signature);

        String answer = "经核查，该工地已办理夜间施工许可，但噪音超标，城管部门已责令整改并限制22点后施工，请您继续监督。";
        assertThat(postStatus(ticketId, "{\"status\":\"REPLIED\",\"reply\":\"" + answer + "\",\"at\":\"2026-11-28T10:00:00+08:00\"}")
                .statusCode()).isEqualTo(200);
        Map<String, String> replied = awaitSms(ticketId, 2).get(1);
        JsonNode repliedParams = Json.read(replied.get("TemplateParam"));
        assertThat(repliedParams.path("status").asText()).isEqualTo("已答复");
        assertThat(repliedParams.path("ticket").asText()).isEqualTo(ticketId);
        String content = repliedParams.path("content").asText();
        assertThat(content.codePointCount(0, content.length())).as("within the gateway's 35-character limit").isEqualTo(35);
        assertThat(content).startsWith("经核查，该工地已办理夜间施工许可").endsWith("…");
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(ticketId).findValuesAsText("state"),
                states -> states.size() == 2 && states.stream().allMatch("SENT"::equals));
    }

    @Test
    void aClosedTicketPutsAFollowUpTaskOnTheQueueAndTellsTheCaller() throws Exception {
        String callId = newCallId();
        postWorkOrder(fixture("work-order.json", callId).replace("{\"name\":\"张先生\"}", "{\"name\":\"张先生\",\"phone\":\"0731-84567890\"}"));
        String ticketId = awaitTicket(callId, t -> "FORWARDED".equals(t.path("status").asText())).path("ticketId").asText();
        assertThat(postStatus(ticketId, "{\"status\":\"CLOSED\",\"at\":\"2026-11-28T11:00:00+08:00\"}").statusCode()).isEqualTo(200);

        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setReceiveTimeout(20_000);
        Message message = jms.receiveSelected("hub.cti.followups", "ticketId = '" + ticketId + "'");
        assertThat(message).as("a follow-up task for " + ticketId).isNotNull();
        JsonNode task = Json.read(((TextMessage) message).getText());
        assertThat(task.path("type").asText()).isEqualTo("FOLLOW_UP_CALL");
        assertThat(task.path("callId").asText()).isEqualTo(callId);
        assertThat(task.path("phone").asText()).isEqualTo("+8673184567890");
        assertThat(message.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);

        Map<String, String> sms = awaitSms(ticketId, 1).get(0);
        assertThat(sms.get("PhoneNumbers")).isEqualTo("73184567890");
        assertThat(Json.read(sms.get("TemplateParam")).path("status").asText()).isEqualTo("已办结");
    }

    @Test
    void aNumberTheGatewayRejectsIsFailedWithItsReason() {
        String callId = newCallId();
        postWorkOrder(fixture("work-order.json", callId).replace("{\"name\":\"张先生\"}", "{\"name\":\"张先生\",\"phone\":\"13800000001\"}"));
        String ticketId = awaitTicket(callId, t -> "FORWARDED".equals(t.path("status").asText())).path("ticketId").asText();
        CALLBACKS.stubFor(post(urlEqualTo("/sms/")).withRequestBody(containing("OutId=" + ticketId)).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"Code\":\"isv.MOBILE_NUMBER_ILLEGAL\",\"Message\":\"非法手机号\",\"RequestId\":\"1\"}")));
        postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T09:00:00+08:00\"}");
        JsonNode failed = await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(ticketId).get(0),
                d -> d != null && "FAILED".equals(d.path("state").asText()));
        assertThat(failed.path("lastError").asText()).contains("isv.MOBILE_NUMBER_ILLEGAL");
        assertThat(awaitSms(ticketId, 1)).hasSize(1);
    }

    @Test
    void gatewayThrottlingAndOutagesAreRetriedWithBackOff() {
        String callId = newCallId();
        postWorkOrder(fixture("work-order.json", callId).replace("{\"name\":\"张先生\"}", "{\"name\":\"张先生\",\"phone\":\"13800000002\"}"));
        String ticketId = awaitTicket(callId, t -> "FORWARDED".equals(t.path("status").asText())).path("ticketId").asText();
        String scenario = "sms-" + ticketId;
        CALLBACKS.stubFor(post(urlEqualTo("/sms/")).withRequestBody(containing("OutId=" + ticketId)).atPriority(1)
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"Code\":\"Throttling.User\",\"Message\":\"Request was denied due to user flow control.\"}")));
        CALLBACKS.stubFor(post(urlEqualTo("/sms/")).withRequestBody(containing("OutId=" + ticketId)).atPriority(1)
                .inScenario(scenario).whenScenarioStateIs("throttled").willSetStateTo("down")
                .willReturn(aResponse().withStatus(503).withBody("upstream unavailable")));
        CALLBACKS.stubFor(post(urlEqualTo("/sms/")).withRequestBody(containing("OutId=" + ticketId)).atPriority(1)
                .inScenario(scenario).whenScenarioStateIs("down")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(OK)));
        postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T09:00:00+08:00\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(ticketId).get(0),
                d -> d != null && "SENT".equals(d.path("state").asText()));
        assertThat(awaitSms(ticketId, 3)).hasSize(3);
    }

    private List<Map<String, String>> awaitSms(String ticketId, int count) {
        List<LoggedRequest> requests = await().atMost(Duration.ofSeconds(20)).until(
                () -> CALLBACKS.findAll(postRequestedFor(urlEqualTo("/sms/")).withRequestBody(containing("OutId=" + ticketId))),
                l -> l.size() >= count);
        return requests.stream().map(r -> form(r.getBodyAsString())).toList();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private JsonNode deliveries(String ticketId) {
        return getJson("/api/v1/tickets/" + ticketId + "/deliveries").get("items");
    }
}
