package city.hotline.hub.channel.generic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.ReusableJsonata;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The small JSONata expressions a binding uses to pick values out of a payload (item id, the items of a
 * polled page, the next cursor), parsed once ({@link ReusableJsonata} says how that is made safe):
 * JSONata is already the hub's mapping language, so an engineer learns one syntax.
 */
final class ChannelExpressions {

    private static final Map<String, ReusableJsonata> COMPILED = new ConcurrentHashMap<>();

    private ChannelExpressions() {
    }

    /** The value of {@code expression} on {@code input}, as JSON; null when it selects nothing. */
    static JsonNode evaluate(String expression, JsonNode input) {
        ReusableJsonata compiled = COMPILED.computeIfAbsent(expression, ReusableJsonata::new);
        Object out = compiled.evaluate(Json.MAPPER.convertValue(input, Object.class), null);
        return out == null ? null : Json.MAPPER.valueToTree(out);
    }

    /** A scalar value as text (an item id, a cursor); null when absent, empty or not a scalar. */
    static String text(String expression, JsonNode input) {
        JsonNode v = evaluate(expression, input);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isBlank() ? null : s;
    }
}
