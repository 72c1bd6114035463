package city.hotline.hub.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Issue 13 point 7: every ticket change reaches the Artemis topic hub.events as a JSON event (docs/events.md). */
class EventFeedTest extends HubIntegrationTest {

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aTicketsCreationForwardStatusAndReplyArePublishedInOrderOnTheTopic() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createTopic("hub.events"));
            consumer.setMessageListener(m -> {
                try {
                    events.add(Json.read(((TextMessage) m).getText()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            connection.start();

            String externalId = "events-" + UUID.randomUUID();
            assertThat(postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"路面塌陷\",\"callbackUrl\":\""
                    + callbackUrl(externalId) + "\"}").statusCode()).isEqualTo(202);
            String ticketId = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList(
                    "SELECT ticket_id FROM ticket_origin WHERE channel_item_id = ?", String.class, externalId), l -> l.size() == 1).get(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> types(events, ticketId).containsAll(List.of("CREATED", "FORWARDED")));
            postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00+08:00\",\"handlingUnit\":\"市政\"}");

            await().atMost(Duration.ofSeconds(20)).until(() -> types(events, ticketId).equals(
                    List.of("CREATED", "FORWARDED", "STATUS_APPLIED", "REPLY_SENT")));
            List<JsonNode> mine = events.stream().filter(e -> ticketId.equals(e.get("ticketId").asText())).toList();
            assertThat(mine).allSatisfy(e -> {
                assertThat(e.get("schema").asText()).isEqualTo("hub.events/1");
                assertThat(e.get("eventId").asLong()).isPositive();
                assertThat(e.get("at").asText()).endsWith("Z");
            });
            assertThat(mine.get(0).get("eventId").asLong()).isLessThan(mine.get(3).get("eventId").asLong());
            assertThat(mine.get(1).get("data").get("backend").asText()).isEqualTo("case-system");
            assertThat(mine.get(2).get("data").get("status").asText()).isEqualTo("ACCEPTED");
            assertThat(mine.get(3).get("data").get("channel").asText()).isEqualTo("webform");
            assertThat(mine.get(3).get("data").get("channelItemId").asText()).isEqualTo(externalId);
            // published rows leave the feed table
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM event_feed WHERE ticket_id = ?", Long.class, ticketId) == 0);
        }
    }

    private static List<String> types(List<JsonNode> events, String ticketId) {
        return events.stream().filter(e -> ticketId.equals(e.get("ticketId").asText())).map(e -> e.get("type").asText()).toList();
    }
}
