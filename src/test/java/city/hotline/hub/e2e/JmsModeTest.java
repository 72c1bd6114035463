package city.hotline.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import city.hotline.hub.HotlineHubApplication;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.support.TestDataDirs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** hub.backends.case-system.mode=jms: tickets go to a persistent Artemis queue, statuses come back on another. */
@SpringBootTest(classes = HotlineHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JmsModeTest {

    private static final String DATA_DIR = TestDataDirs.fresh("jms");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("hub.data-dir", () -> DATA_DIR);
        r.add("hub.embedded-postgres.durable", () -> "false");
        r.add("hub.api.keys", () -> "jms-key");
        r.add("hub.backends.case-system.status-secret", () -> "jms-test-status-secret");
        r.add("hub.backends.case-system.mode", () -> "jms");
        r.add("hub.outbox.poll-delay", () -> "200ms");
    }

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JmsTemplate jms;
    @Autowired
    TicketStore tickets;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void ticketsGoToTheQueueAndStatusesComeBackOnTheQueue() throws Exception {
        String externalId = "jms-" + UUID.randomUUID();
        HttpHeaders h = new HttpHeaders();
        h.setContentType(MediaType.APPLICATION_JSON);
        h.set("X-Api-Key", "jms-key");
        ResponseEntity<String> r = rest.postForEntity("/api/v1/intake/webform",
                new HttpEntity<>("{\"externalId\":\"" + externalId + "\",\"content\":\"公交站牌损坏\"}", h), String.class);
        assertThat(r.getStatusCode().value()).isEqualTo(202);

        jms.setReceiveTimeout(20_000);
        Message message = jms.receive("hub.case-system.tickets");
        assertThat(message).isNotNull();
        assertThat(message.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
        JsonNode ticket = Json.read(((TextMessage) message).getText());
        String ticketId = ticket.get("ticketId").asText();
        assertThat(message.getStringProperty("ticketId")).isEqualTo(ticketId);
        assertThat(ticket.at("/origins/0/channelItemId").asText()).isEqualTo(externalId);
        await().atMost(Duration.ofSeconds(10)).until(() -> tickets.find(ticketId).orElseThrow().get("status").asText(), "FORWARDED"::equals);

        jms.convertAndSend("hub.case-system.status",
                "{\"ticketId\":\"" + ticketId + "\",\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00+08:00\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> tickets.find(ticketId).orElseThrow().get("status").asText(), "ACCEPTED"::equals);
    }

    @Test
    void aResendAfterACrashIsDroppedByTheBrokerAndAnUpdateCarriesItsOwnDuplicateId() throws Exception {
        String externalId = "jms-" + UUID.randomUUID();
        assertThat(intake("{\"externalId\":\"" + externalId + "\",\"content\":\"路面塌陷\"}")).isEqualTo(202);
        jms.setReceiveTimeout(20_000);
        Message first = jms.receive("hub.case-system.tickets");
        String ticketId = Json.read(((TextMessage) first).getText()).get("ticketId").asText();
        assertThat(first.getStringProperty("_AMQ_DUPL_ID")).isEqualTo(ticketId + ":1");
        await().atMost(Duration.ofSeconds(10)).until(() -> tickets.find(ticketId).orElseThrow().get("status").asText(), "FORWARDED"::equals);

        // as after a crash between the send and its SENT mark: the row is pending again and is sent again
        jdbc.update("UPDATE forward_outbox SET state = 'PENDING', next_attempt_at = now() WHERE ticket_id = ?", ticketId);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT state FROM forward_outbox WHERE ticket_id = ?", String.class, ticketId), "SENT"::equals);
        jms.setReceiveTimeout(2_000);
        assertThat(jms.receive("hub.case-system.tickets")).as("the broker dropped the resend").isNull();

        assertThat(intake("{\"externalId\":\"" + externalId + "\",\"content\":\"路面塌陷，已有车辆受损\"}")).isEqualTo(202);
        jms.setReceiveTimeout(20_000);
        Message update = jms.receive("hub.case-system.tickets");
        assertThat(update).isNotNull();
        assertThat(update.getStringProperty("hubUpdate")).isEqualTo("true");
        int version = jdbc.queryForObject("SELECT version FROM forward_outbox WHERE ticket_id = ? AND kind = 'UPDATE'", Integer.class, ticketId);
        assertThat(update.getStringProperty("_AMQ_DUPL_ID")).isEqualTo(ticketId + ":" + version);
        assertThat(Json.read(((TextMessage) update).getText()).get("content").asText()).isEqualTo("路面塌陷，已有车辆受损");
    }

    private int intake(String body) {
        HttpHeaders h = new HttpHeaders();
        h.setContentType(MediaType.APPLICATION_JSON);
        h.set("X-Api-Key", "jms-key");
        return rest.postForEntity("/api/v1/intake/webform", new HttpEntity<>(body, h), String.class).getStatusCode().value();
    }

    @Test
    void aStatusMessageThatCannotBeReadIsQuarantinedAndTheQueueGoesOn() {
        long before = quarantinedStatuses();

        jms.convertAndSend("hub.case-system.status", "{\"ticketId\":\"T20260101-0000000000\",\"status\":\"PAUSED\",\"at\":\"2026-11-28T10:00:00Z\"}");
        jms.convertAndSend("hub.case-system.status", "{\"ticketId\":\"T20260101-0000000000\",\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00Z\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> quarantinedStatuses() == before + 2);
        assertThat(jdbc.queryForList("SELECT reason FROM quarantine WHERE stage = 'STATUS' ORDER BY id DESC LIMIT 2", String.class))
                .anySatisfy(reason -> assertThat(reason).contains("status must be one of"))
                .anySatisfy(reason -> assertThat(reason).contains("unknown ticket T20260101-0000000000"));
    }

    private long quarantinedStatuses() {
        return jdbc.queryForObject("SELECT count(*) FROM quarantine WHERE stage = 'STATUS'", Long.class);
    }
}
