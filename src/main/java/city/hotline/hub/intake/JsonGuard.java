package city.hotline.hub.intake;

import java.util.Iterator;
import java.util.Map;

import city.hotline.hub.ticket.HttpProblem;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the intake can see is wrong with a JSON submission before it says 202, in every string
 * (values and keys, nested ones too): control characters other than tab, CR and LF (PostgreSQL
 * refuses NUL outright, the others are never meant), lone UTF-16 surrogates (a {@code \ud800} escape
 * decodes to one; it cannot be stored or encoded), nesting deeper than {@link #MAX_DEPTH} and arrays
 * longer than {@link #MAX_ARRAY}. Answers 400 naming the field as a JSON pointer.
 */
public final class JsonGuard {

    public static final int MAX_DEPTH = 32;
    public static final int MAX_ARRAY = 1000;

    private JsonGuard() {
    }

    public static void check(JsonNode node) {
        check(node, "", 1);
    }

    private static void check(JsonNode node, String path, int depth) {
        if (node.isContainerNode() && depth > MAX_DEPTH) {
            throw new HttpProblem(400, "field '" + shown(path) + "' is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = path + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                text(e.getKey(), child, "name");
                check(e.getValue(), child, depth + 1);
            }
        } else if (node.isArray()) {
            if (node.size() > MAX_ARRAY) {
                throw new HttpProblem(400, "field '" + shown(path) + "' has " + node.size() + " elements; at most " + MAX_ARRAY + " are accepted");
            }
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "/" + i, depth + 1);
            }
        } else if (node.isTextual()) {
            text(node.textValue(), path, "value");
        }
    }

    private static void text(String s, String path, String what) {
        String problem = problem(s);
        if (problem != null) {
            throw new HttpProblem(400, "field '" + shown(path) + "': " + what + " contains " + problem);
        }
    }

    /** null when the text may be stored, else what is wrong with it. */
    public static String problem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "a lone surrogate (U+" + hex(c) + ") at index " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "a lone surrogate (U+" + hex(c) + ") at index " + i;
            }
            if (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\r' && c != '\n') {
                return "a control character (U+" + hex(c) + ") at index " + i;
            }
        }
        return null;
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    private static String shown(String path) {
        return path.isEmpty() ? "/" : path;
    }
}
