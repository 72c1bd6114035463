package city.hotline.hub.dedup;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import city.hotline.hub.store.ForwardOutboxStore;
import city.hotline.hub.store.InboxStore;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import city.hotline.hub.ticket.PlainText;
import city.hotline.hub.ticket.TicketIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Exact dedup on (channel, channel item id). {@link #complete} turns a mapped draft into a full
 * ticket (a new id, or the id the item already has); {@link #record} stores it in one transaction,
 * under a lock on the item key, with the database's unique constraint as the last word: a new
 * ticket plus its forward-outbox row, or an update of the existing ticket.
 */
@Component("exactDedup")
public class ExactDedup {

    private static final Logger LOG = LoggerFactory.getLogger(ExactDedup.class);
    /** Fields an update from the channel may change; status, ids and history stay the hub's. */
    private static final List<String> CITIZEN_FIELDS = List.of("requester", "requestType", "title", "content",
            "attachments", "location", "category", "urgency");
    public static final String CASE_SYSTEM = "case-system";

    private final TicketStore tickets;
    private final InboxStore inbox;
    private final ForwardOutboxStore outbox;
    private final TransactionTemplate tx;

    public ExactDedup(TicketStore tickets, InboxStore inbox, ForwardOutboxStore outbox, TransactionTemplate tx) {
        this.tickets = tickets;
        this.inbox = inbox;
        this.outbox = outbox;
        this.tx = tx;
    }

    public void complete(Exchange exchange) {
        Message msg = exchange.getMessage();
        ObjectNode draft = readDraft(msg.getBody(String.class));
        JsonNode origin = draft.path("origins").path(0);
        String channel = origin.path("channel").asText(null);
        String itemId = origin.path("channelItemId").asText(null);
        if (channel == null || itemId == null || itemId.isBlank()) {
            throw new PermanentFailure("mapping produced no origins[0].channel / channelItemId");
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String ticketId = tickets.ticketIdForOrigin(channel, itemId).orElseGet(TicketIds::next);
        ObjectNode ticket = Json.object();
        ticket.put("schemaVersion", 1);
        ticket.put("ticketId", ticketId);
        draft.fields().forEachRemaining(e -> ticket.set(e.getKey(), e.getValue()));
        sanitiseText(ticket, "title");
        sanitiseText(ticket, "content");
        ticket.put("status", "RECEIVED");
        ticket.put("createdAt", now);
        ticket.put("updatedAt", now);
        MDC.put("ticketId", ticketId);
        exchange.setProperty("hubTicketId", ticketId);
        msg.setBody(Json.write(ticket));
    }

    public void record(Exchange exchange) {
        Message msg = exchange.getMessage();
        ObjectNode ticket = Json.readObject(msg.getBody(String.class));
        long inboxId = exchange.getProperty("hubInboxId", Long.class);
        String ticketId = tx.execute(status -> recordInTransaction(ticket, inboxId));
        exchange.setProperty("hubTicketId", ticketId);
    }

    private String recordInTransaction(ObjectNode ticket, long inboxId) {
        ObjectNode origin = (ObjectNode) ticket.get("origins").get(0);
        String channel = origin.get("channel").asText();
        String itemId = origin.get("channelItemId").asText();
        tickets.lockOrigin(channel, itemId);
        var existing = tickets.ticketIdForOrigin(channel, itemId);
        if (existing.isEmpty()) {
            tickets.insert(ticket);
            String ticketId = ticket.get("ticketId").asText();
            tickets.insertOrigin(ticketId, channel, itemId, textOrNull(origin, "channelUserId"),
                    origin.has("replyTarget") ? Json.write(origin.get("replyTarget")) : null, origin.get("receivedAt").asText());
            tickets.addEvent(ticketId, "CREATED", Map.of("channel", channel, "channelItemId", itemId));
            outbox.enqueue(ticketId, CASE_SYSTEM, Json.write(ticket));
            inbox.markDone(inboxId, ticketId);
            LOG.info("Created ticket {} from {} item {}", ticketId, channel, itemId);
            return ticketId;
        }
        String ticketId = existing.get();
        TicketStore.Locked current = tickets.lock(ticketId).orElseThrow();
        ObjectNode body = current.body();
        List<String> changed = applyCitizenFields(body, ticket);
        if (origin.has("replyTarget")) {
            tickets.updateOriginReplyTarget(channel, itemId, Json.write(origin.get("replyTarget")));
        }
        if (!changed.isEmpty()) {
            body.put("updatedAt", ticket.get("updatedAt").asText());
            tickets.update(ticketId, body, current.status(), null);
            tickets.addEvent(ticketId, "CONTENT_UPDATED", Map.of("channel", channel, "channelItemId", itemId, "fields", changed));
            LOG.info("Updated ticket {} from a re-delivery of {} item {} (changed: {})", ticketId, channel, itemId, changed);
        } else {
            LOG.info("Re-delivery of {} item {} changes nothing on ticket {}", channel, itemId, ticketId);
        }
        inbox.markDone(inboxId, ticketId);
        return ticketId;
    }

    private static List<String> applyCitizenFields(ObjectNode body, ObjectNode incoming) {
        List<String> changed = new java.util.ArrayList<>();
        for (String field : CITIZEN_FIELDS) {
            JsonNode now = incoming.get(field);
            JsonNode before = body.get(field);
            if (now != null && !now.equals(before)) {
                body.set(field, now);
                changed.add(field);
            }
        }
        return changed;
    }

    private static ObjectNode readDraft(String json) {
        try {
            ObjectNode draft = Json.readObject(json);
            removeNulls(draft);
            return draft;
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("mapping did not produce a JSON object: " + e.getMessage());
        }
    }

    /** JSONata leaves absent optional fields out, but a mapping may still produce explicit nulls. */
    private static void removeNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    it.remove();
                } else {
                    removeNulls(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(ExactDedup::removeNulls);
        }
    }

    private static void sanitiseText(ObjectNode ticket, String field) {
        if (ticket.hasNonNull(field)) {
            ticket.put(field, PlainText.sanitise(ticket.get(field).asText()));
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
