package city.hotline.hub.dispatch;

import java.time.Instant;
import java.util.List;

import city.hotline.hub.store.TicketBackendStore;
import city.hotline.hub.ticket.HttpProblem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/**
 * Status reports of a jointly dispatched ticket (双派), kept apart: each back-end's last status is on
 * the ticket ({@code dispatch[].status/at}) and in {@code ticket_backend}. The ticket's own status,
 * and with it the citizen's replies, follow its lead back-end (the first it was dispatched to); a
 * report that names no back-end comes from the lead, as before there were several.
 */
@Component
public class BackendStatuses {

    private final TicketBackendStore holders;

    public BackendStatuses(TicketBackendStore holders) {
        this.holders = holders;
    }

    /**
     * Records the report for its back-end on the (locked) ticket body.
     *
     * @param backend the back-end the report names, or null
     * @return whether the report governs the ticket's own status
     * @throws HttpProblem 422 when the named back-end does not hold the ticket
     */
    public boolean record(String ticketId, ObjectNode body, String backend, String status, Instant at) {
        List<String> held = holders.backends(ticketId);
        String lead = held.isEmpty() ? TicketUpdates.CASE_SYSTEM : held.get(0);
        String from = backend == null ? lead : backend;
        if (!held.isEmpty() && !held.contains(from)) {
            throw new HttpProblem(422, "back-end '" + from + "' does not hold ticket " + ticketId + " (held by " + held + ")");
        }
        if (!held.isEmpty()) {
            holders.recordStatus(ticketId, from, status, at);
            ObjectNode entry = null;
            JsonNode dispatch = body.get("dispatch");
            if (dispatch instanceof ArrayNode a) {
                for (JsonNode d : a) {
                    if (from.equals(d.path("backend").asText()) && d instanceof ObjectNode o) {
                        entry = o;
                    }
                }
                if (entry == null) {
                    entry = a.addObject().put("backend", from);
                }
            } else {
                entry = body.putArray("dispatch").addObject().put("backend", from);
            }
            if (!entry.has("at") || !Instant.parse(entry.get("at").asText()).isAfter(at)) {
                entry.put("status", status);
                entry.put("at", at.toString());
            }
        }
        return from.equals(lead);
    }

    /**
     * The back-end of a webhook report: the one whose own secret signed it ({@code signedBy}), which the
     * body may not contradict; otherwise the body's {@code backend}.
     *
     * @throws HttpProblem 422 when the body names another back-end than the one that signed it
     */
    public static String backendOf(String json, String signedBy) {
        String named = backendOf(json);
        if (signedBy != null && named != null && !named.equals(signedBy)) {
            throw new HttpProblem(422, "the report is signed by back-end '" + signedBy + "' but names back-end '" + named + "'");
        }
        return signedBy != null ? signedBy : named;
    }

    /** The back-end a status report names (its optional {@code backend} field), or null. */
    public static String backendOf(String json) {
        try {
            JsonNode b = city.hotline.hub.ticket.Json.read(json).get("backend");
            return b != null && b.isTextual() && !b.asText().isBlank() ? b.asText() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
