package city.hotline.hub.channel.weixin;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fits subscribe-message values to WeChat's limits per key type (the key's prefix before its
 * number, channels.md §1.5): {@code thing} ≤ 20, {@code phrase} ≤ 5, {@code character_string},
 * {@code number}, {@code letter} ≤ 32, {@code symbol} ≤ 5, {@code phone_number} ≤ 17,
 * {@code car_number} ≤ 8, {@code name} ≤ 10. Counted in code points (WeChat counts characters, and a
 * character outside the BMP is one character but two Java chars). Control characters, newlines
 * included, are not allowed anywhere: they become spaces.
 */
public final class SubscribeFields {

    private static final Pattern KEY = Pattern.compile("^([a-z_]+?)[0-9]+$");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029]+");
    private static final Map<String, Integer> LIMITS = Map.of("thing", 20, "phrase", 5, "character_string", 32,
            "number", 32, "letter", 32, "symbol", 5, "phone_number", 17, "car_number", 8, "name", 10);

    private SubscribeFields() {
    }

    /** {@code {"thing3": {"value": ...}, ...}} with every value fitted. */
    public static ObjectNode fit(JsonNode data) {
        if (!(data instanceof ObjectNode in)) {
            // WeChat answers 47003 when data is not an object (e.g. a JSON string)
            throw new IllegalArgumentException("subscribe template mapping must produce an object 'data', got " + data);
        }
        ObjectNode out = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue().get("value");
            String value = v == null || v.isNull() ? "" : v.asText();
            out.putObject(e.getKey()).put("value", fit(e.getKey(), value));
        }
        return out;
    }

    public static String fit(String key, String value) {
        String clean = CONTROL.matcher(value).replaceAll(" ").strip();
        var m = KEY.matcher(key);
        Integer limit = m.matches() ? LIMITS.get(m.group(1)) : null;
        if (limit == null || clean.codePointCount(0, clean.length()) <= limit) {
            return clean;
        }
        boolean ellipsis = key.startsWith("thing");
        int keep = ellipsis ? limit - 1 : limit;
        String cut = clean.substring(0, clean.offsetByCodePoints(0, keep));
        return ellipsis ? cut + "…" : cut;
    }
}
