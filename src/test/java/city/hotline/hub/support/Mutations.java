package city.hotline.hub.support;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Seeded mutations of valid payloads for the intake fuzz tests (corpus-driven: every run with the
 * same seed sends the same payloads, so a failure can be replayed). Two kinds: text mutations
 * (flipped, deleted, duplicated, truncated characters, structural tokens, control characters and
 * surrogates, long runs) that mostly break the syntax, and value mutations of a parsed JSON
 * payload (a field replaced by a hostile value of any type) that keep it readable and reach the
 * mapping and the database.
 */
public final class Mutations {

    private static final String[] TOKENS = {"{", "}", "[", "]", "\"", ",", ":", "\\", "\\u0000", "\\ud800", "\\udc00x", "\u0000", "\u0007",
            "\u001b", "\u007f", "\u0085", "\uFFFF", "\uFEFF", "null", "true", "-1e999", "1e400", "99999999999999999999999", "-0", "NaN", "<", ">", "&",
            "<![CDATA[", "]]>", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "&#0;", "&#xD800;", "\r\n", "\t", "😡", "\u200b", "\u202e",
            "<script>alert(1)</script>", "'; DROP TABLE ticket; --", "../../etc/passwd", "%00", "\\n", "\ud83d", "\ude21"};

    private final Random rnd;

    public Mutations(long seed) {
        this.rnd = new Random(seed);
    }

    public Random random() {
        return rnd;
    }

    /** A text mutation: one to four edits of the raw text. */
    public String text(String seed) {
        String s = seed;
        int edits = 1 + rnd.nextInt(4);
        for (int i = 0; i < edits; i++) {
            s = once(s);
        }
        return s;
    }

    private String once(String s) {
        if (s.isEmpty()) {
            return token();
        }
        int at = rnd.nextInt(s.length());
        int len = 1 + rnd.nextInt(Math.min(64, s.length() - at));
        return switch (rnd.nextInt(10)) {
            case 0 -> s.substring(0, at) + hostileChar() + s.substring(Math.min(s.length(), at + 1));
            case 1 -> s.substring(0, at) + s.substring(at + len);
            case 2 -> s.substring(0, at + len) + s.substring(at, at + len) + s.substring(at + len);
            case 3 -> s.substring(0, at) + token() + s.substring(at);
            case 4 -> s.substring(0, at);
            case 5 -> s.substring(0, at) + "[".repeat(1 + rnd.nextInt(40)) + s.substring(at);
            case 6 -> s.substring(0, at) + "x".repeat(rnd.nextInt(30_000)) + s.substring(at);
            case 7 -> s.replace("\"", rnd.nextBoolean() ? "'" : "");
            case 8 -> s.substring(at) + s.substring(0, at);
            default -> s.substring(0, at) + token() + token() + s.substring(Math.min(s.length(), at + len));
        };
    }

    /** A value mutation: the JSON stays readable, one or two fields (nested ones too) get hostile values. */
    public String value(String seedJson) {
        JsonNode root = Json.read(seedJson);
        int edits = 1 + rnd.nextInt(2);
        for (int i = 0; i < edits; i++) {
            replaceSomeField(root);
        }
        return Json.write(root);
    }

    private void replaceSomeField(JsonNode node) {
        List<ObjectNode> objects = new java.util.ArrayList<>();
        collect(node, objects);
        if (objects.isEmpty()) {
            return;
        }
        ObjectNode o = objects.get(rnd.nextInt(objects.size()));
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        String name = names.isEmpty() || rnd.nextInt(8) == 0 ? hostileString(8) : names.get(rnd.nextInt(names.size()));
        if (rnd.nextInt(10) == 0) {
            o.remove(name);
        } else {
            o.set(name, hostileValue(0));
        }
    }

    private static void collect(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode o) {
            out.add(o);
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                collect(it.next().getValue(), out);
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(n -> collect(n, out));
        }
    }

    public JsonNode hostileValue(int depth) {
        return switch (rnd.nextInt(depth > 2 ? 6 : 10)) {
            case 0 -> Json.MAPPER.getNodeFactory().textNode(hostileString(1 + rnd.nextInt(300)));
            case 1 -> Json.MAPPER.getNodeFactory().numberNode(new java.math.BigDecimal(rnd.nextBoolean() ? "1e400" : String.valueOf(rnd.nextLong())));
            case 2 -> Json.MAPPER.getNodeFactory().booleanNode(rnd.nextBoolean());
            case 3 -> Json.MAPPER.getNodeFactory().nullNode();
            case 4 -> Json.MAPPER.getNodeFactory().textNode("x".repeat(rnd.nextInt(25_000)));
            case 5 -> Json.MAPPER.getNodeFactory().textNode(String.valueOf(rnd.nextInt(100_000)));
            case 6 -> {
                ArrayNode a = Json.MAPPER.createArrayNode();
                int n = rnd.nextInt(5) == 0 ? 995 + rnd.nextInt(10) : rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(n > 10 ? Json.MAPPER.getNodeFactory().numberNode(i) : hostileValue(depth + 1));
                }
                yield a;
            }
            case 7 -> {
                JsonNode deep = Json.MAPPER.getNodeFactory().textNode("bottom");
                int levels = 28 + rnd.nextInt(8);
                for (int i = 0; i < levels; i++) {
                    ObjectNode wrap = Json.object();
                    wrap.set("n", deep);
                    deep = wrap;
                }
                yield deep;
            }
            default -> {
                ObjectNode o = Json.object();
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    o.set(hostileString(6), hostileValue(depth + 1));
                }
                yield o;
            }
        };
    }

    /** Text drawn from ranges that break things: controls, surrogates, CJK, emoji, markup, quotes. */
    public String hostileString(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            if (rnd.nextInt(12) == 0) {
                sb.append(token());
            } else {
                sb.append(rnd.nextInt(4) == 0 ? hostileChar() : (char) (rnd.nextBoolean() ? 'a' + rnd.nextInt(26) : 0x4e00 + rnd.nextInt(0x5000)));
            }
        }
        return sb.toString();
    }

    private char hostileChar() {
        return switch (rnd.nextInt(7)) {
            case 0 -> (char) rnd.nextInt(0x20);
            case 1 -> (char) (0xd800 + rnd.nextInt(0x800));
            case 2 -> (char) (0x7f + rnd.nextInt(0x21));
            case 3 -> "<>&\"'\\/{}[]:,".charAt(rnd.nextInt(13));
            case 4 -> (char) (0xfff0 + rnd.nextInt(16));
            case 5 -> (char) (0x2000 + rnd.nextInt(0x70));
            default -> (char) rnd.nextInt(0x10000);
        };
    }

    private String token() {
        return TOKENS[rnd.nextInt(TOKENS.length)];
    }
}
