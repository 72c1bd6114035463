package city.hotline.hub.dedup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.UUID;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import city.hotline.hub.dispatch.TicketUpdates;
import city.hotline.hub.intake.InboxFailures;
import city.hotline.hub.store.ForwardOutboxStore;
import city.hotline.hub.store.InboxStore;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import city.hotline.hub.ticket.PlainText;
import city.hotline.hub.ticket.TicketIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Exact dedup on (channel, channel item id). {@link #complete} turns a mapped draft into a full
 * ticket (a new id, or the id the item already has); {@link #recordBatch} stores a batch of them in
 * one transaction, each under a lock on its item key, with the database's unique constraint as the
 * last word: a new ticket plus its forward-outbox row, or an update of the existing ticket plus an
 * UPDATE row for the back-end. The inbox row is marked done in the same transaction, conditional on
 * the claim, so an item becomes a ticket exactly once even when two instances race for it.
 */
@Component("exactDedup")
public class ExactDedup {

    private static final Logger LOG = LoggerFactory.getLogger(ExactDedup.class);
    /** Fields an update from the channel may change; status, ids and history stay the hub's. */
    private static final List<String> CITIZEN_FIELDS = List.of("requester", "requestType", "title", "content",
            "attachments", "location", "category", "urgency");
    public static final String CASE_SYSTEM = TicketUpdates.CASE_SYSTEM;

    private final TicketStore tickets;
    private final InboxStore inbox;
    private final ForwardOutboxStore outbox;
    private final TransactionTemplate tx;
    private final InboxFailures failures;
    private final TicketUpdates updates;
    /** Routing (issue 12): the back-ends of each new ticket; a field so the constructor stays as it was. */
    @org.springframework.beans.factory.annotation.Autowired
    private city.hotline.hub.dispatch.Dispatcher dispatcher;
    private final NearDuplicates nearDuplicates;

    public ExactDedup(TicketStore tickets, InboxStore inbox, ForwardOutboxStore outbox, TransactionTemplate tx,
                      InboxFailures failures, TicketUpdates updates, NearDuplicates nearDuplicates) {
        this.updates = updates;
        this.nearDuplicates = nearDuplicates;
        this.tickets = tickets;
        this.inbox = inbox;
        this.outbox = outbox;
        this.tx = tx;
        this.failures = failures;
    }

    public void complete(Exchange exchange) {
        Message msg = exchange.getMessage();
        ObjectNode draft = readDraft(msg.getBody());
        JsonNode origin = draft.path("origins").path(0);
        String channel = origin.path("channel").asText(null);
        String itemId = origin.path("channelItemId").asText(null);
        if (channel == null || itemId == null || itemId.isBlank()) {
            throw new PermanentFailure("mapping produced no origins[0].channel / channelItemId");
        }
        // the origin records the API client that sent the item: part of the item key, never from the payload
        String client = exchange.getProperty("hubClient", InboxStore.Delivery.DEFAULT_CLIENT, String.class);
        ((ObjectNode) origin).put("client", client);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        // a new id; a re-delivery keeps its ticket's id, which recordBatch looks up for the whole batch at once
        String ticketId = TicketIds.next();
        ObjectNode ticket = Json.object();
        ticket.put("schemaVersion", 1);
        ticket.put("ticketId", ticketId);
        draft.fields().forEachRemaining(e -> ticket.set(e.getKey(), e.getValue()));
        sanitiseText(ticket, "title");
        sanitiseText(ticket, "content");
        ticket.put("status", "RECEIVED");
        ticket.put("createdAt", now);
        ticket.put("updatedAt", now);
        exchange.setProperty("hubTicketId", ticketId);
        // kept for draft(): the schema check only reads the text, so the tree need not be parsed again
        exchange.setProperty("hubTicket", ticket);
        msg.setBody(ticket);
    }

    /** The last step for one item of a batch: the validated ticket and its inbox row, ready to store. */
    public TicketDraft draft(Exchange exchange) {
        return new TicketDraft(new InboxFailures.Item(exchange.getProperty("hubInboxId", Long.class),
                exchange.getProperty("hubClaimToken", UUID.class), exchange.getProperty("hubAttempts", 0, Integer.class),
                exchange.getProperty("hubChannel", String.class), exchange.getProperty("hubChannelItemId", String.class),
                exchange.getProperty("hubTicketId", String.class), exchange.getProperty("hubRawPayload", String.class)),
                exchange.getProperty("hubTicket", ObjectNode.class));
    }

    /**
     * Stores a batch of drafts in one transaction. If the batch fails, each draft is stored on its own,
     * so a bad item is split out and handled by {@link InboxFailures} while its neighbours are stored.
     * Items that failed before this step (already quarantined or given back) are not in the list.
     */
    public void recordBatch(Exchange exchange) {
        List<TicketDraft> drafts = new ArrayList<>();
        for (Object o : exchange.getMessage().getBody(List.class)) {
            if (o instanceof TicketDraft d) {
                drafts.add(d);
            }
        }
        // one lock order for every batch, so two batches never wait on each other's item locks
        drafts.sort(Comparator.comparing(ExactDedup::originKey));
        if (drafts.isEmpty()) {
            return;
        }
        try {
            tx.executeWithoutResult(s -> recordAll(drafts, s));
            MDC.remove("ticketId");
            return;
        } catch (RuntimeException e) {
            if (drafts.size() == 1) {
                failures.onFailure(drafts.get(0).item(), e);
                return;
            }
            LOG.warn("A batch of {} inbox items failed to store ({}); storing them one by one", drafts.size(), e.toString());
        }
        for (TicketDraft d : drafts) {
            MDC.put("ticketId", d.ticket().path("ticketId").asText());
            try {
                tx.executeWithoutResult(s -> recordAll(List.of(d), s));
            } catch (RuntimeException e) {
                failures.onFailure(d.item(), e);
            }
        }
        MDC.remove("ticketId");
    }

    /**
     * One transaction for the batch, in a handful of round trips whatever its size: the items' locks,
     * one look-up of the tickets they already have, then the new tickets with their origins, history,
     * outbox rows and inbox marks as JDBC batches. A re-delivery updates its ticket on its own.
     *
     * <p>With merging on, the new tickets are stored before the near-duplicate index lock, as decided
     * before it: the lock is held until the transaction ends, and every batch of every instance waits for
     * it, so the less a batch does under it, the more batches pass (with the tickets stored under it, it was
     * held 84 % of the time at full speed). If the decisions come out otherwise under the lock (a report
     * stored meanwhile by another batch is a duplicate of one of these), the batch goes back to a savepoint
     * and stores the new tickets as finally decided. Merges update existing tickets: they stay under the
     * lock, so no batch holds a ticket's row while it waits for the lock.
     */
    private void recordAll(List<TicketDraft> drafts, TransactionStatus status) {
        List<TicketStore.OriginKey> keys = drafts.stream().map(ExactDedup::originKey).toList();
        tickets.lockOrigins(keys);
        Map<TicketStore.OriginKey, String> existing = tickets.ticketIdsForOrigins(keys);
        List<TicketDraft> fresh = new ArrayList<>();
        for (TicketDraft d : drafts) {
            String ticketId = existing.get(originKey(d));
            if (ticketId == null) {
                fresh.add(d);
            } else {
                recordChange(d, ticketId);
            }
        }
        // near duplicates (issue 11): some fresh items join an existing ticket instead of becoming one
        NearDuplicates.Pending pending = nearDuplicates.prepare(fresh);
        List<TicketDraft> early = pending.locks() && pending.tentative().overflows().isEmpty() ? pending.tentative().fresh() : List.of();
        Object savepoint = early.isEmpty() ? null : status.createSavepoint();
        storeNew(early);
        NearDuplicates.Settled settled = nearDuplicates.settle(pending);
        List<TicketDraft> late = settled.plan().fresh();
        if (savepoint != null) {
            if (settled.plan().overflows().isEmpty() && sameDrafts(early, late)) {
                late = List.of();
            } else {
                LOG.debug("The index changed while a batch of {} waited for its lock: storing its new tickets again as finally decided", drafts.size());
                // also gives up the index lock, taken after the savepoint: settle again, under it
                status.rollbackToSavepoint(savepoint);
                settled = nearDuplicates.settle(pending);
                late = settled.plan().fresh();
            }
        }
        nearDuplicates.record(settled);
        storeNew(late);
        NearDuplicates.Plan plan = settled.plan();
        for (TicketDraft d : plan.fresh()) {
            JsonNode origin = d.ticket().get("origins").get(0);
            MDC.put("ticketId", d.ticket().get("ticketId").asText());
            LOG.info("Created ticket {} from {} item {}", d.ticket().get("ticketId").asText(), origin.get("channel").asText(),
                    origin.get("channelItemId").asText());
        }
        nearDuplicates.apply(plan);
    }

    /** The new tickets with their origins, back-end outbox rows and inbox marks. */
    private void storeNew(List<TicketDraft> fresh) {
        if (fresh.isEmpty()) {
            return;
        }
        List<ObjectNode> created = fresh.stream().map(TicketDraft::ticket).toList();
        tickets.insertAll(created);
        tickets.insertOrigins(created);
        dispatcher.enqueueCreations(created);
        inbox.markAllDone(fresh.stream().map(d -> new InboxStore.Done(d.item().inboxId(), d.item().claimToken(),
                d.ticket().get("ticketId").asText())).toList());
    }

    private static boolean sameDrafts(List<TicketDraft> a, List<TicketDraft> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** A re-delivery of an item that has a ticket: the citizen's fields change, and the back-end gets an update. */
    private void recordChange(TicketDraft draft, String ticketId) {
        ObjectNode ticket = draft.ticket();
        InboxFailures.Item item = draft.item();
        ObjectNode origin = (ObjectNode) ticket.get("origins").get(0);
        String channel = origin.get("channel").asText();
        String itemId = origin.get("channelItemId").asText();
        String client = origin.path("client").asText(InboxStore.Delivery.DEFAULT_CLIENT);
        MDC.put("ticketId", ticketId);
        if (origin.has("replyTarget")) {
            tickets.updateOriginReplyTarget(channel, client, itemId, Json.write(origin.get("replyTarget")));
        }
        Optional<Integer> version = updates.apply(ticketId, "CONTENT_UPDATED", Map.of("channel", channel, "channelItemId", itemId),
                body -> new TicketUpdates.Change(applyCitizenFields(body, ticket)));
        if (version.isEmpty()) {
            LOG.info("Re-delivery of {} item {} changes nothing on ticket {}", channel, itemId, ticketId);
        }
        inbox.markDone(item.inboxId(), item.claimToken(), ticketId);
    }

    static TicketStore.OriginKey originKey(TicketDraft d) {
        JsonNode origin = d.ticket().get("origins").get(0);
        return new TicketStore.OriginKey(origin.get("channel").asText(),
                origin.path("client").asText(InboxStore.Delivery.DEFAULT_CLIENT), origin.get("channelItemId").asText());
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

    /** The mapping's result: a tree (ticket/CompiledMappings) or JSON text; anything but an object is the mapping's fault. */
    private static ObjectNode readDraft(Object result) {
        try {
            ObjectNode draft = result instanceof ObjectNode o ? o
                    : result instanceof String s ? Json.readObject(s)
                    : null;
            if (draft == null) {
                throw new IllegalArgumentException("expected a JSON object, got "
                        + (result instanceof JsonNode n ? n.getNodeType().name().toLowerCase() : "nothing"));
            }
            Json.removeNulls(draft);
            return draft;
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("mapping did not produce a JSON object: " + e.getMessage());
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
