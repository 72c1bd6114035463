package city.hotline.hub.relay;

import java.time.Instant;
import java.util.Set;

import city.hotline.hub.ticket.Hashing;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.MappingFunctions;
import com.fasterxml.jackson.databind.JsonNode;

/** One status report from a back-end, checked: known status, a time, a known satisfaction level. */
public record StatusReport(String ticketId, String status, Instant at, String reply, String handlingUnit, String satisfaction) {

    public static final Set<String> STATUSES = Set.of("ACCEPTED", "ASSIGNED", "IN_PROGRESS", "REPLIED", "CLOSED",
            "EVALUATED", "RETURNED", "EXTENDED", "REOPENED");
    public static final Set<String> SATISFACTION = Set.of("VERY_SATISFIED", "SATISFIED", "BASICALLY_SATISFIED",
            "DISSATISFIED", "VERY_DISSATISFIED");

    /** How far ahead of the hub's clock a report's {@code at} may be (clock skew); later is refused. */
    public static final java.time.Duration MAX_FUTURE = java.time.Duration.ofMinutes(5);

    /**
     * A report from the signed webhook: the body must name the ticket, and the same one as the path,
     * so a signed report cannot be replayed against another ticket.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    public static StatusReport parseForPath(String pathTicketId, String json) {
        JsonNode node = Json.read(json);
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String bodyId = text(node, "ticketId");
        if (bodyId == null) {
            throw new IllegalArgumentException("ticketId is required in the body and must equal the path's");
        }
        if (!bodyId.equals(pathTicketId)) {
            throw new IllegalArgumentException("the body's ticketId '" + bodyId + "' is not the path's '" + pathTicketId + "'");
        }
        return parse(pathTicketId, json);
    }

    /** @throws IllegalArgumentException naming the first problem */
    public static StatusReport parse(String ticketId, String json) {
        JsonNode node = Json.read(json);
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String id = ticketId != null ? ticketId : text(node, "ticketId");
        if (id == null) {
            throw new IllegalArgumentException("ticketId is required");
        }
        String status = text(node, "status");
        if (status == null || !STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + new java.util.TreeSet<>(STATUSES) + ", got " + node.get("status"));
        }
        String at = text(node, "at");
        if (at == null) {
            throw new IllegalArgumentException("at is required (ISO-8601)");
        }
        Instant instant = Instant.parse(MappingFunctions.utc(at));
        if (instant.isAfter(Instant.now().plus(MAX_FUTURE))) {
            throw new IllegalArgumentException("at " + at + " is more than " + MAX_FUTURE.toMinutes()
                    + " minutes in the future; a report from the future would shadow every later one");
        }
        String satisfaction = text(node, "satisfaction");
        if (satisfaction != null && !SATISFACTION.contains(satisfaction)) {
            throw new IllegalArgumentException("satisfaction must be one of " + new java.util.TreeSet<>(SATISFACTION));
        }
        return new StatusReport(id, status, instant, text(node, "reply"), text(node, "handlingUnit"), satisfaction);
    }

    public String fingerprint() {
        return Hashing.sha256Hex(String.join("\u001f", status, at.toString(), String.valueOf(reply),
                String.valueOf(handlingUnit), String.valueOf(satisfaction)));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }
}
