package city.hotline.hub.channel.cti;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The event inside an event-socket frame, as a flat map of FreeSWITCH's headers ({@code Event-Name},
 * {@code Unique-ID}, {@code Caller-Caller-ID-Number}, {@code variable_*} ...). In {@code text/event-plain}
 * the body is header lines with URL-encoded values; in {@code text/event-json} a JSON object.
 */
public final class EslEvents {

    private EslEvents() {
    }

    /**
     * @return the event's headers, or null when the frame holds no event
     * @throws IllegalArgumentException when an event body cannot be read
     */
    public static Map<String, String> parse(EslFrame frame) {
        String type = frame.contentType();
        Map<String, String> event = new LinkedHashMap<>();
        if ("text/event-plain".equals(type)) {
            // the event's own headers end at the first blank line; what follows is an event body (unused here)
            String block = frame.body();
            int blank = block.indexOf("\n\n");
            if (blank >= 0) {
                block = block.substring(0, blank);
            }
            for (String line : block.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    event.put(line.substring(0, colon).strip(), URLDecoder.decode(line.substring(colon + 1).strip(), StandardCharsets.UTF_8));
                }
            }
        } else if ("text/event-json".equals(type)) {
            JsonNode json = Json.read(frame.body());
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                event.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        } else {
            return null;
        }
        if (!event.containsKey("Event-Name")) {
            throw new IllegalArgumentException("an event-socket event without Event-Name");
        }
        return event;
    }
}
