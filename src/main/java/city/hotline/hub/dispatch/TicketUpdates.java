package city.hotline.hub.dispatch;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import city.hotline.hub.store.ForwardOutboxStore;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The one way to change a ticket that already exists and tell its back-ends: lock the ticket, let the
 * caller change its body, bump its version, record the change in its history, and put an UPDATE row
 * in the forward outbox (which delivers it as {@code PUT {url}/tickets/{ticketId}} after the creation).
 * Late call-record parts, merged reports, splits and re-deliveries all go through here, so an update
 * reaches the back-ends the same way whoever made it. Must run inside the caller's transaction.
 */
@Component
public class TicketUpdates {

    private static final Logger LOG = LoggerFactory.getLogger(TicketUpdates.class);
    public static final String CASE_SYSTEM = "case-system";

    /**
     * What a change did to the ticket body.
     *
     * @param fields the names of the changed fields; empty means "nothing changed", and then nothing is written
     */
    public record Change(List<String> fields) {
        public static final Change NONE = new Change(List.of());

        public static Change of(String... fields) {
            return new Change(List.of(fields));
        }

        public boolean isEmpty() {
            return fields.isEmpty();
        }
    }

    private final TicketStore tickets;
    private final ForwardOutboxStore outbox;
    private final city.hotline.hub.store.TicketBackendStore holders;

    public TicketUpdates(TicketStore tickets, ForwardOutboxStore outbox, city.hotline.hub.store.TicketBackendStore holders) {
        this.tickets = tickets;
        this.outbox = outbox;
        this.holders = holders;
    }

    /**
     * Applies {@code change} to the locked ticket body and, when it changed something, stores the new
     * version, records {@code eventKind} with the changed fields plus {@code detail}, and enqueues the
     * whole ticket as an update for its back-ends.
     *
     * @return the new version, or empty when the ticket does not exist or nothing changed
     */
    public Optional<Integer> apply(String ticketId, String eventKind, Map<String, ?> detail,
                                   Function<ObjectNode, Change> change) {
        return Optional.ofNullable(applyAll(List.of(new Request(ticketId, eventKind, detail, change))).get(ticketId));
    }

    /** One change of {@link #applyAll}: like the arguments of {@link #apply}. */
    public record Request(String ticketId, String eventKind, Map<String, ?> detail, Function<ObjectNode, Change> change) {
    }

    /**
     * {@link #apply} for several changes in a handful of statements whatever their number (the tickets locked
     * in one, in ticket id order; their new bodies, events and outbox rows one statement each), as a batch of
     * merges needs: one at a time, each took five round trips. Changes to one ticket apply in order and make
     * one new version; each still records its own event. A change that changes nothing is not recorded.
     *
     * @return each changed ticket's new version; a ticket that does not exist is absent
     */
    public Map<String, Integer> applyAll(List<Request> requests) {
        Map<String, TicketStore.Locked> locked = tickets.lockAll(requests.stream().map(Request::ticketId).toList());
        Map<String, List<String>> fieldsOf = new java.util.LinkedHashMap<>();
        Map<String, java.util.Set<String>> kindsOf = new java.util.HashMap<>();
        List<Request> done = new java.util.ArrayList<>();
        List<Change> changes = new java.util.ArrayList<>();
        for (Request r : requests) {
            TicketStore.Locked current = locked.get(r.ticketId());
            if (current == null) {
                continue;
            }
            Change change = r.change().apply(current.body());
            if (!change.isEmpty()) {
                done.add(r);
                changes.add(change);
                fieldsOf.computeIfAbsent(r.ticketId(), k -> new java.util.ArrayList<>()).addAll(change.fields());
                kindsOf.computeIfAbsent(r.ticketId(), k -> new java.util.LinkedHashSet<>()).add(r.eventKind());
            }
        }
        if (done.isEmpty()) {
            return Map.of();
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<ObjectNode> bodies = fieldsOf.keySet().stream().map(id -> locked.get(id).body().put("updatedAt", now)).toList();
        Map<String, Integer> versions = tickets.updateAll(bodies);
        List<Object> events = new java.util.ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            Map<String, Object> event = new java.util.LinkedHashMap<>(done.get(i).detail());
            event.put("fields", changes.get(i).fields());
            event.put("version", versions.get(done.get(i).ticketId()));
            events.add(event);
        }
        tickets.addEvents(done.stream().map(Request::ticketId).toList(), done.stream().map(Request::eventKind).toList(), events);
        Map<String, List<String>> backendsOf = holders.backendsOf(fieldsOf.keySet());
        List<String> ids = new java.util.ArrayList<>();
        List<String> backends = new java.util.ArrayList<>();
        List<String> payloads = new java.util.ArrayList<>();
        List<Integer> rowVersions = new java.util.ArrayList<>();
        for (ObjectNode body : bodies) {
            String id = body.get("ticketId").asText();
            String payload = Json.write(body);
            // a ticket from before dispatch rules existed (no holders recorded) is the case system's
            for (String backend : backendsOf.getOrDefault(id, List.of(CASE_SYSTEM))) {
                ids.add(id);
                backends.add(backend);
                payloads.add(payload);
                rowVersions.add(versions.get(id));
            }
            // a batch updates many tickets: the log line must carry the ticket it names, not the batch's last one
            MDC.put("ticketId", id);
            LOG.info("Updated ticket {} to version {} ({}: {})", id, versions.get(id), kindsOf.get(id), fieldsOf.get(id));
        }
        outbox.enqueueAll(ids, backends, payloads, ForwardOutboxStore.Kind.UPDATE, rowVersions);
        return versions;
    }
}
