package city.hotline.hub.channel.cti;

import java.util.ArrayList;
import java.util.List;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Puts one normalised call part on a ticket body (the join of issue 9): a CDR fills the ticket's
 * {@code call} (caller and called number, times, IVR path, agent, queue) and, when the work order gave
 * none, the requester's phone; a recording adds its link (to {@code call.recordingUrl} and as an
 * attachment, never fetched here: a link that later answers 403/404 cannot fail the ticket); a
 * satisfaction sets {@code satisfaction}. Returns the changed top-level fields; applying the same
 * part again changes nothing.
 */
public final class CallParts {

    /** The part fields that go to the ticket's {@code call} object. */
    private static final List<String> CALL_FIELDS = List.of("callId", "vendor", "callerNumber", "calledNumber", "direction",
            "startedAt", "answeredAt", "endedAt", "durationSeconds", "talkSeconds", "ivrPath", "agent", "queue", "hungUpBy",
            "recordingUrl", "recordingFile");

    private CallParts() {
    }

    public static List<String> apply(ObjectNode ticket, ObjectNode part) {
        List<String> changed = new ArrayList<>();
        ObjectNode call = ticket.has("call") && ticket.get("call").isObject() ? (ObjectNode) ticket.get("call") : Json.object();
        boolean callChanged = false;
        for (String f : CALL_FIELDS) {
            JsonNode v = part.get(f);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
                continue;
            }
            if (!v.equals(call.get(f))) {
                call.set(f, v);
                callChanged = true;
            }
        }
        if (callChanged) {
            ticket.set("call", call);
            changed.add("call");
        }
        String caller = part.path("callerNumber").asText(CallerNumbers.UNKNOWN);
        if (!CallerNumbers.UNKNOWN.equals(caller) && "CDR".equals(part.path("kind").asText())) {
            ObjectNode requester = ticket.has("requester") ? (ObjectNode) ticket.get("requester") : ticket.putObject("requester");
            if (!requester.hasNonNull("phone")) {
                requester.put("phone", caller);
                if (!requester.has("anonymous")) {
                    requester.put("anonymous", false);
                }
                changed.add("requester");
            }
        }
        String recording = part.path("recordingUrl").asText("");
        if (!recording.isEmpty()) {
            ArrayNode attachments = ticket.has("attachments") && ticket.get("attachments").isArray()
                    ? (ArrayNode) ticket.get("attachments") : Json.MAPPER.createArrayNode();
            boolean present = false;
            for (JsonNode a : attachments) {
                present |= recording.equals(a.path("url").asText());
            }
            if (!present) {
                ObjectNode a = attachments.addObject();
                a.put("url", recording);
                a.put("name", "call recording " + part.path("callId").asText());
                a.put("mediaType", "audio/*");
                ticket.set("attachments", attachments);
                changed.add("attachments");
            }
        }
        String level = part.path("satisfaction").asText("");
        if (!level.isEmpty() && !level.equals(ticket.path("satisfaction").asText())) {
            ticket.put("satisfaction", level);
            changed.add("satisfaction");
        }
        return changed;
    }
}
