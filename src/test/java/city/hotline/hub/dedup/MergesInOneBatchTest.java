package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.dispatch.TicketUpdates;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A batch's merges update their tickets together ({@link TicketUpdates#applyAll}): two reports joining one
 * ticket make one new version with both origins, each with its own event; a ticket that does not exist gets
 * nothing and is reported absent. Each update's log line carries the ticket it names in its MDC, not the
 * batch's last.
 */
class MergesInOneBatchTest extends DedupIntegrationTest {

    @Autowired
    TicketUpdates updates;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void twoChangesToOneTicketMakeOneVersionWithBothAndEachItsEventAndAMissingTicketIsAbsent() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String item = "wf-batch-" + tag;
        assertThat(postJson("/api/v1/intake/webform", Json.write(Map.of("externalId", item,
                "content", "芙蓉路" + tag + "号的下水道堵了一周，污水漫到人行道上，请尽快疏通。", "submittedAt", "2026/11/25 10:00:00"))).statusCode())
                .isEqualTo(202);
        String ticketId = await().atMost(Duration.ofSeconds(30))
                .until(() -> ticketFor("webform", item), t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
        int before = jdbc.queryForObject("SELECT version FROM ticket WHERE ticket_id = ?", Integer.class, ticketId);

        Map<String, Integer> versions = tx.execute(s -> updates.applyAll(List.of(
                request(ticketId, "first-" + tag), request("T-missing-" + tag, "lost-" + tag), request(ticketId, "second-" + tag))));

        assertThat(versions).containsOnlyKeys(ticketId).containsEntry(ticketId, before + 1);
        JsonNode body = Json.read(jdbc.queryForObject("SELECT body::text FROM ticket WHERE ticket_id = ?", String.class, ticketId));
        assertThat(body.get("related").toString()).contains("first-" + tag).contains("second-" + tag);
        assertThat(jdbc.queryForList("SELECT detail->>'channelItemId' FROM ticket_event WHERE ticket_id = ? AND kind = 'MERGED' ORDER BY id",
                String.class, ticketId)).containsExactly("first-" + tag, "second-" + tag);
        assertThat(jdbc.queryForList("SELECT (detail->>'version')::int FROM ticket_event WHERE ticket_id = ? AND kind = 'MERGED'", Integer.class,
                ticketId)).containsOnly(before + 1);
        List<String> queued = jdbc.queryForList("SELECT payload FROM forward_outbox WHERE ticket_id = ? AND kind = 'UPDATE' AND version = ?",
                String.class, ticketId, before + 1);
        assertThat(queued).as("one update for the case system, with both changes").hasSize(1);
        assertThat(queued.get(0)).contains("first-" + tag).contains("second-" + tag);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ticket_event WHERE ticket_id = ?", Integer.class, "T-missing-" + tag)).isZero();
    }

    @Test
    void eachUpdateOfABatchIsLoggedUnderTheTicketItNames() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String first = ticketOf("wf-log-a-" + tag, "解放西路" + tag + "号的路灯坏了三个晚上，夜里行人看不清路。");
        String second = ticketOf("wf-log-b-" + tag, "五一大道" + tag + "号门前的井盖松动，车辆经过时响声很大。");
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(TicketUpdates.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try {
            // as on an inbox worker: the MDC still names whatever ticket the batch logged last
            org.slf4j.MDC.put("ticketId", "T-stale-" + tag);
            tx.execute(s -> updates.applyAll(List.of(request(first, "log-a-" + tag), request(second, "log-b-" + tag))));
        } finally {
            logger.detachAppender(seen);
            org.slf4j.MDC.remove("ticketId");
        }
        Map<String, String> mdcByTicketNamed = new java.util.HashMap<>();
        for (ch.qos.logback.classic.spi.ILoggingEvent e : seen.list) {
            if (e.getFormattedMessage().startsWith("Updated ticket ")) {
                mdcByTicketNamed.put(e.getFormattedMessage().split(" ")[2], e.getMDCPropertyMap().get("ticketId"));
            }
        }
        assertThat(mdcByTicketNamed).containsOnly(Map.entry(first, first), Map.entry(second, second));
    }

    private String ticketOf(String item, String content) {
        assertThat(postJson("/api/v1/intake/webform", Json.write(Map.of("externalId", item, "content", content,
                "submittedAt", "2026/11/25 10:00:00"))).statusCode()).isEqualTo(202);
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> ticketFor("webform", item), t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
    }

    private static TicketUpdates.Request request(String ticketId, String itemId) {
        return new TicketUpdates.Request(ticketId, "MERGED", Map.of("channelItemId", itemId), body -> {
            ((ArrayNode) body.withArray("related")).add(Json.object().put("channelItemId", itemId));
            return TicketUpdates.Change.of("related");
        });
    }
}
