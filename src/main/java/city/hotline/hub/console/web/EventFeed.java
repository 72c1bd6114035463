package city.hotline.hub.console.web;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Route {@code event-feed} (routes/console.yaml): publishes the rows the database triggers of
 * V101__event_feed.sql wrote for every ticket change to the Artemis topic {@code hub.events}
 * (docs/events.md), oldest first, and deletes them.
 * <p>
 * One batch is one database transaction holding an advisory lock (one publisher at a time across
 * instances, so events leave in id order) around one transacted JMS session: the rows are deleted
 * only if the broker took the whole batch. A crash between the broker's commit and the database's
 * gives the batch again: at least once, the event id makes a repeat recognisable. Intake never
 * waits on this: the triggers only insert a row in the same transaction as the change.
 */
@Component("eventFeed")
public class EventFeed {

    /** pg advisory lock key of the publisher ("hub.events"). */
    private static final long LOCK = 0x6875622e6576L;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JmsTemplate jms;
    private final ConsoleProperties.Events props;

    public EventFeed(JdbcTemplate jdbc, TransactionTemplate tx, ConnectionFactory connectionFactory, ConsoleProperties props) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setPubSubDomain(true);
        this.jms.setSessionTransacted(true);
        this.props = props.events();
    }

    /** @return events published by this run */
    public int publish() {
        if (!props.enabled()) {
            return 0;
        }
        Integer n = tx.execute(status -> {
            Boolean locked = jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK);
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            List<Map<String, Object>> rows = jdbc.queryForList("""
                    DELETE FROM event_feed WHERE id IN (SELECT id FROM event_feed ORDER BY id LIMIT ?)
                    RETURNING id, ticket_id, type, at, data::text AS data""", props.batchSize());
            if (rows.isEmpty()) {
                return 0;
            }
            rows.sort((a, b) -> Long.compare(((Number) a.get("id")).longValue(), ((Number) b.get("id")).longValue()));
            jms.execute(session -> {
                Topic topic = session.createTopic(props.topic());
                try (MessageProducer producer = session.createProducer(topic)) {
                    for (Map<String, Object> row : rows) {
                        TextMessage m = session.createTextMessage(Json.write(event(row)));
                        m.setStringProperty("ticketId", (String) row.get("ticket_id"));
                        m.setStringProperty("type", (String) row.get("type"));
                        m.setLongProperty("eventId", ((Number) row.get("id")).longValue());
                        producer.send(m);
                    }
                }
                session.commit();
                return null;
            }, true);
            return rows.size();
        });
        return n == null ? 0 : n;
    }

    static ObjectNode event(Map<String, Object> row) {
        ObjectNode e = Json.object();
        e.put("schema", "hub.events/1");
        e.put("eventId", ((Number) row.get("id")).longValue());
        e.put("type", (String) row.get("type"));
        e.put("ticketId", (String) row.get("ticket_id"));
        e.put("at", ((Timestamp) row.get("at")).toInstant().toString());
        Object data = row.get("data");
        e.set("data", data == null ? Json.object() : Json.read(data.toString()));
        return e;
    }
}
