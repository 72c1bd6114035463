package city.hotline.hub.dedup;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.dispatch.Dispatcher;
import city.hotline.hub.dispatch.TicketUpdates;
import city.hotline.hub.store.TicketStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

/**
 * Undoes a wrong merge: the origin leaves its ticket and becomes a ticket of its own again, rebuilt
 * from the report as it arrived (kept in the index when it was merged) under the id it was given
 * then. One transaction: the old ticket loses the origin and its {@code related[]} entry (an UPDATE for
 * the case system), the new ticket is created (a CREATE), the origin, its inbox receipt and its index
 * entry move, and both tickets record the split in their history.
 */
@Component
public class OriginSplit {

    private static final Logger LOG = LoggerFactory.getLogger(OriginSplit.class);

    private final DedupIndex index;
    private final TicketStore tickets;
    private final TicketUpdates updates;
    private final Dispatcher dispatcher;
    private final TransactionTemplate tx;

    public OriginSplit(DedupIndex index, TicketStore tickets, TicketUpdates updates, Dispatcher dispatcher, TransactionTemplate tx) {
        this.index = index;
        this.tickets = tickets;
        this.updates = updates;
        this.dispatcher = dispatcher;
        this.tx = tx;
    }

    /**
     * @param client the API client of the origin, needed only when two clients sent the same item id
     * @param by     who asked (the API client's name), for the history
     */
    public Map<String, Object> split(String ticketId, String channel, String channelItemId, String client, String by) {
        return tx.execute(s -> {
            // the index lock: no merge into this ticket runs while the origin moves
            index.lock();
            List<Object[]> found = index.originsOf(ticketId, channel, channelItemId).stream()
                    .filter(o -> client == null || client.equals(o[1])).toList();
            if (found.isEmpty()) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "ticket " + ticketId + " has no origin " + channel + "/" + channelItemId);
            }
            if (found.size() > 1) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "several clients sent " + channel + "/" + channelItemId + "; name one with ?client=");
            }
            long originId = (Long) found.get(0)[0];
            TicketStore.OriginKey key = new TicketStore.OriginKey(channel, (String) found.get(0)[1], channelItemId);
            ObjectNode report = index.mergedReport(key).orElseThrow(() -> new ResponseStatusException(HttpStatus.CONFLICT,
                    channel + "/" + channelItemId + " was not merged into " + ticketId + ": it is the ticket's own report"));
            String newTicketId = report.get("ticketId").asText();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("channel", channel);
            detail.put("channelItemId", channelItemId);
            detail.put("newTicketId", newTicketId);
            detail.put("by", by);
            updates.apply(ticketId, "ORIGIN_SPLIT", detail, body -> {
                boolean removed = removeMatching(body.withArray("origins"), key);
                removed |= removeMatching(NearDuplicates.relatedOf(body), key);
                return removed ? TicketUpdates.Change.of("origins", "related") : TicketUpdates.Change.NONE;
            }).orElseThrow(() -> new ResponseStatusException(HttpStatus.CONFLICT, "ticket " + ticketId + " did not change"));
            String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            report.put("status", "RECEIVED");
            report.put("createdAt", now);
            report.put("updatedAt", now);
            tickets.insertAll(List.of(report));
            index.moveOrigin(originId, key, newTicketId);
            index.moveEntry(key, newTicketId);
            tickets.addEvent(newTicketId, "SPLIT_FROM", Map.of("ticketId", ticketId, "by", by));
            // its back-ends as the dispatch rules say (the report was routed when it arrived)
            dispatcher.enqueueCreations(List.of(report));
            LOG.info("Split {} item {} out of ticket {} into its own ticket {} (asked by {})", channel, channelItemId, ticketId, newTicketId, by);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ticketId", ticketId);
            result.put("newTicketId", newTicketId);
            result.put("channel", channel);
            result.put("channelItemId", channelItemId);
            return result;
        });
    }

    private static boolean removeMatching(ArrayNode items, TicketStore.OriginKey key) {
        boolean removed = false;
        for (Iterator<JsonNode> it = items.elements(); it.hasNext(); ) {
            JsonNode o = it.next();
            if (key.channel().equals(o.path("channel").asText()) && key.channelItemId().equals(o.path("channelItemId").asText())
                    && (!o.has("client") || key.client().equals(o.get("client").asText()))) {
                it.remove();
                removed = true;
            }
        }
        return removed;
    }
}
