package city.hotline.hub.onboarding;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.channel.generic.ChannelReplies;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PlainText;
import city.hotline.hub.ticket.TicketIds;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * What a channel would make of a native payload, with nothing stored or sent: the mapping is evaluated
 * as inbox-to-ticket does (input {@code {native, meta}}), the draft completed as dedup/ExactDedup.complete
 * does (hub id, status RECEIVED, times, jsoup-sanitised title and content), and the ticket validated
 * against mappings/ticket.schema.json. Every problem is located: a mapping error by file, line and column,
 * a schema error by the JSON pointer of the ticket field. With a status, the reply that status would
 * produce is mapped too. Used by the API ({@link DryRunApi}), the command line ({@link DryRunCommand})
 * and the build's check of every channel's samples.
 */
public final class DryRun {

    /** Where a channel's mappings are: the ticket mapping, and the reply mapping (null: the channel's replies are built in Java). */
    public record Channel(String name, String mappingFile, String mappingText, String replyFile, String replyText,
                          ReplyStyle replyStyle, String itemIdExpression, boolean form) {
    }

    /** How a reply mapping takes its input: a file channel's {@code {"reply": {...}}}, or the mail channel's flat object. */
    public enum ReplyStyle { FILE_CHANNEL, MAIL, NONE }

    private final JsonSchema ticketSchema;

    private final city.hotline.hub.ticket.MappingFunctions functions;

    public DryRun(String ticketSchemaText, city.hotline.hub.ticket.MappingFunctions functions) {
        this.functions = functions;
        this.ticketSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(ticketSchemaText);
    }

    public Map<String, Object> run(Channel channel, String payloadText, String status, String replyText) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channel", channel.name());
        out.put("mapping", channel.mappingFile());
        List<Map<String, Object>> errors = new ArrayList<>();
        out.put("errors", errors);
        JsonNode payload;
        try {
            payload = channel.form() && !payloadText.trim().startsWith("{") ? form(payloadText) : Json.read(payloadText);
        } catch (IllegalArgumentException e) {
            errors.add(error("payload", null, 0, 0, "not JSON: " + e.getMessage()));
            out.put("valid", false);
            return out;
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String itemId = "dry-run";
        if (channel.itemIdExpression() != null) {
            try {
                JsonNode id = MappingCheck.evaluate("binding itemId", channel.itemIdExpression(),
                        Jsonata.jsonata(channel.itemIdExpression()), payload, functions);
                if (id == null || id.isContainerNode() || id.asText().isBlank()) {
                    errors.add(error("payload", null, 0, 0, "no item id: '" + channel.itemIdExpression() + "' selects nothing"));
                } else {
                    itemId = id.asText();
                }
            } catch (RuntimeException e) {
                errors.add(error("binding", null, 0, 0, "itemId expression: " + e.getMessage()));
            }
        }
        ObjectNode input = Json.object();
        input.set("native", payload);
        ObjectNode meta = input.putObject("meta");
        meta.put("channel", channel.name());
        meta.put("channelItemId", itemId);
        meta.put("client", "default");
        meta.put("receivedAt", now);
        JsonNode draft;
        try {
            Jsonata compiled = MappingCheck.compile(channel.mappingFile(), channel.mappingText());
            draft = MappingCheck.evaluate(channel.mappingFile(), channel.mappingText(), compiled, input, functions);
        } catch (ChannelFileError e) {
            errors.add(error(e.file(), null, e.line(), e.column(), e.problem()));
            out.put("valid", false);
            return out;
        }
        if (!(draft instanceof ObjectNode d)) {
            errors.add(error(channel.mappingFile(), null, 0, 0, "the mapping gave " + (draft == null ? "nothing" : draft.getNodeType())
                    + ", not a ticket object"));
            out.put("valid", false);
            return out;
        }
        ObjectNode ticket = complete(d, now);
        out.put("ticket", ticket);
        for (ValidationMessage m : sorted(ticketSchema.validate(ticket))) {
            errors.add(error("mappings/ticket.schema.json", pointer(m), 0, 0, m.getMessage()));
        }
        out.put("valid", errors.isEmpty());
        if (status != null && !status.isBlank()) {
            out.put("status", status);
            out.put("reply", reply(channel, ticket, status, replyText, now, itemId, errors));
            out.put("valid", errors.isEmpty());
        }
        return out;
    }

    private JsonNode reply(Channel channel, ObjectNode ticket, String status, String replyText, String now, String itemId,
                                  List<Map<String, Object>> errors) {
        if (channel.replyStyle() == ReplyStyle.NONE || channel.replyText() == null) {
            errors.add(error(channel.mappingFile(), null, 0, 0, "channel '" + channel.name()
                    + "' has no reply mapping: its replies are built in Java (channel/" + channel.name() + ")"));
            return null;
        }
        String text = replyText == null ? "您反映的问题已办理，感谢您的监督。" : replyText;
        JsonNode target = ticket.path("origins").path(0).path("replyTarget");
        ObjectNode input;
        if (channel.replyStyle() == ReplyStyle.MAIL) {
            input = Json.object();
            input.put("ticketId", ticket.path("ticketId").asText());
            input.put("status", status);
            input.put("reply", text);
            input.put("at", now);
            input.put("atLocal", now.replace('T', ' ').substring(0, 16));
            if (target.hasNonNull("subject")) {
                input.put("subject", target.get("subject").asText());
            }
            if (ticket.hasNonNull("title")) {
                input.put("title", ticket.get("title").asText());
            }
            input.put("content", ticket.path("content").asText());
        } else {
            input = ChannelReplies.replyInput(ticket.path("ticketId").asText(), status, text, now, itemId,
                    target.isMissingNode() ? null : Json.write(target), ticket.hasNonNull("title") ? ticket.get("title").asText() : null);
        }
        try {
            Jsonata compiled = MappingCheck.compile(channel.replyFile(), channel.replyText());
            JsonNode out = MappingCheck.evaluate(channel.replyFile(), channel.replyText(), compiled, input, functions);
            return out == null ? Json.MAPPER.getNodeFactory().nullNode() : out;
        } catch (ChannelFileError e) {
            errors.add(error(e.file(), null, e.line(), e.column(), e.problem()));
            return null;
        }
    }

    /** As dedup/ExactDedup.complete (kept apart so the dry run never touches the stores). */
    static ObjectNode complete(ObjectNode draft, String now) {
        Json.removeNulls(draft);
        JsonNode origin = draft.path("origins").path(0);
        if (origin instanceof ObjectNode o) {
            o.put("client", "default");
        }
        ObjectNode ticket = Json.object();
        ticket.put("schemaVersion", 1);
        ticket.put("ticketId", TicketIds.next());
        draft.fields().forEachRemaining(e -> ticket.set(e.getKey(), e.getValue()));
        for (String field : List.of("title", "content")) {
            if (ticket.hasNonNull(field)) {
                ticket.put(field, PlainText.sanitise(ticket.get(field).asText()));
            }
        }
        ticket.put("status", "RECEIVED");
        ticket.put("createdAt", now);
        ticket.put("updatedAt", now);
        return ticket;
    }


    private static List<ValidationMessage> sorted(java.util.Set<ValidationMessage> messages) {
        List<ValidationMessage> list = new ArrayList<>(messages);
        list.sort(Comparator.comparing(DryRun::pointer).thenComparing(ValidationMessage::getMessage));
        return list;
    }

    /** The ticket field as a JSON pointer ({@code /requester/phone}); a missing field is named under its parent. */
    static String pointer(ValidationMessage m) {
        StringBuilder p = new StringBuilder();
        var path = m.getInstanceLocation();
        for (int i = 0; i < path.getNameCount(); i++) {
            p.append('/').append(path.getName(i));
        }
        if (m.getProperty() != null && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))) {
            p.append('/').append(m.getProperty());
        }
        return p.isEmpty() ? "/" : p.toString();
    }

    private static Map<String, Object> error(String file, String pointer, int line, int column, String problem) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("file", file);
        if (pointer != null) {
            e.put("pointer", pointer);
        }
        if (line > 0) {
            e.put("line", line);
            e.put("column", column);
        }
        e.put("problem", problem);
        return e;
    }

    private static JsonNode form(String text) {
        ObjectNode o = Json.object();
        for (String pair : text.trim().split("&")) {
            int eq = pair.indexOf('=');
            if (pair.isEmpty()) {
                continue;
            }
            o.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return o;
    }
}
