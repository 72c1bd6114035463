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
        Optional<TicketStore.Locked> locked = tickets.lock(ticketId);
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        TicketStore.Locked current = locked.get();
        ObjectNode body = current.body();
        Change done = change.apply(body);
        if (done.isEmpty()) {
            return Optional.empty();
        }
        body.put("updatedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        int version = tickets.update(ticketId, body, current.status(), null);
        Map<String, Object> event = new java.util.LinkedHashMap<>(detail);
        event.put("fields", done.fields());
        event.put("version", version);
        tickets.addEvent(ticketId, eventKind, event);
        enqueueUpdate(ticketId, body, version);
        LOG.info("Updated ticket {} to version {} ({}: {})", ticketId, version, eventKind, done.fields());
        return Optional.of(version);
    }

    /** The whole ticket as an update for every back-end that holds it, after its creation (outbox order). */
    public void enqueueUpdate(String ticketId, ObjectNode body, int version) {
        List<String> backends = holders.backends(ticketId);
        // a ticket from before dispatch rules existed (no holders recorded) is the case system's
        String payload = Json.write(body);
        for (String backend : backends.isEmpty() ? List.of(CASE_SYSTEM) : backends) {
            outbox.enqueue(ticketId, backend, payload, ForwardOutboxStore.Kind.UPDATE, version);
        }
    }
}
