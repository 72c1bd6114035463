package city.hotline.hub.onboarding;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads and checks a channel's binding and mapping, without a running hub (the hub, the dry run and
 * the build's file check share it). A binding is
 * <pre>
 * kind: webhook                 # connectors/webhook-source.kamelet.yaml
 * mapping: app12345.jsonata     # optional, default &lt;name&gt;.jsonata, under mappings/
 * reply-concurrency: 2          # optional: deliveries in flight on the channel's reply lane
 * properties:                   # the Kamelet's properties, checked against its JSON Schema
 *   verify: token
 *   secret: "{{HUB_APP12345_TOKEN}}"
 * </pre>
 * Property values may hold {@code {{placeholders}}} (Camel/Spring properties, environment variables), resolved here.
 * Every refusal is a {@link ChannelFileError} with the file, the line and the problem.
 */
public final class ChannelFiles {

    public static final String NAME_PATTERN = "[a-z][a-z0-9-]{0,39}";
    public static final String BINDING_SUFFIX = "-channel.yaml";
    /** The development defaults of application.yml (console/SecretsGuard.KNOWN_DEFAULTS). */
    static final Set<String> SHIPPED_SECRETS = Set.of("local-dev-key", "local-dev-secret");

    private ChannelFiles() {
    }

    /** The channel name of a binding file name ({@code app12345-channel.yaml} -> {@code app12345}), or null. */
    public static String channelOf(String fileName) {
        if (!fileName.endsWith(BINDING_SUFFIX)) {
            return null;
        }
        return fileName.substring(0, fileName.length() - BINDING_SUFFIX.length());
    }

    /**
     * @param resolver resolves {@code {{...}}} placeholders in a value (throws IllegalArgumentException naming a missing one)
     */
    public static ChannelBinding readBinding(String name, String file, String text, UnaryOperator<String> resolver) {
        if (!name.matches(NAME_PATTERN)) {
            throw new ChannelFileError(file, 0, 0, "channel name '" + name + "' must match " + NAME_PATTERN
                    + " (lower-case letters, digits and '-'; it becomes the ticket's origins[].channel and route ids)");
        }
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Node root;
        Object doc;
        try {
            root = yaml.compose(new StringReader(text));
            doc = yaml.load(text);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            throw new ChannelFileError(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
                    "not valid YAML: " + e.getProblem());
        } catch (RuntimeException e) {
            throw new ChannelFileError(file, 0, 0, "not valid YAML: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> map) || !(root instanceof MappingNode)) {
            throw new ChannelFileError(file, 1, 1, "a binding is a YAML mapping with kind, properties and optionally mapping, reply-concurrency");
        }
        for (Object key : map.keySet()) {
            if (!Set.of("kind", "mapping", "properties", "reply-concurrency").contains(String.valueOf(key))) {
                throw at(file, root, List.of(String.valueOf(key)), "unknown key '" + key
                        + "'; a binding has kind, properties, mapping, reply-concurrency");
            }
        }
        Object kindValue = map.get("kind");
        if (kindValue == null) {
            throw new ChannelFileError(file, 1, 1, "missing 'kind' (webhook, http-poll, ...: a Kamelet connectors/<kind>-source.kamelet.yaml)");
        }
        String kindName = String.valueOf(kindValue);
        ConnectorKinds.Kind kind = ConnectorKinds.find(kindName).orElseThrow(() -> at(file, root, List.of("kind"),
                "unknown kind '" + kindName + "': no Kamelet connectors/" + kindName + "-source.kamelet.yaml"));
        String mapping = map.get("mapping") == null ? name + ".jsonata" : String.valueOf(map.get("mapping"));
        if (!mapping.matches("[A-Za-z0-9][A-Za-z0-9_-]*\\.jsonata")) {
            throw at(file, root, List.of("mapping"), "mapping must be a file name under mappings/ ending in .jsonata, not '" + mapping + "'");
        }
        int replyConcurrency = 2;
        if (map.get("reply-concurrency") != null) {
            try {
                replyConcurrency = Integer.parseInt(String.valueOf(map.get("reply-concurrency")));
            } catch (NumberFormatException e) {
                throw at(file, root, List.of("reply-concurrency"), "reply-concurrency must be a whole number");
            }
        }
        Object props = map.get("properties") == null ? Map.of() : map.get("properties");
        if (!(props instanceof Map<?, ?> propMap)) {
            throw at(file, root, List.of("properties"), "properties must be a mapping of the Kamelet's properties");
        }
        ObjectNode values = Json.object();
        Map<String, String> resolved = new LinkedHashMap<>(kind.defaults());
        for (Map.Entry<?, ?> e : propMap.entrySet()) {
            String key = String.valueOf(e.getKey());
            String raw = e.getValue() == null ? "" : String.valueOf(e.getValue());
            String value;
            try {
                value = resolver.apply(raw);
            } catch (RuntimeException ex) {
                throw at(file, root, List.of("properties", key), "property '" + key + "': " + ex.getMessage());
            }
            if (kind.secrets().contains(key) && (value.isBlank() || SHIPPED_SECRETS.contains(value.trim()))) {
                // as console/SecretsGuard does for the built-in channels: never run on an empty or shipped secret
                throw at(file, root, List.of("properties", key), "secret property '" + key
                        + "' is empty or a value shipped with the hub; set it from the environment");
            }
            resolved.put(key, value);
            values.set(key, typed(kind.definition().path("properties").path(key), value));
        }
        List<String> problems = new ArrayList<>();
        for (ValidationMessage m : kind.schema().validate(values)) {
            String property = m.getProperty() != null ? m.getProperty()
                    : m.getInstanceLocation().getNameCount() > 0 ? String.valueOf(m.getInstanceLocation().getName(0)) : null;
            String message = m.getMessage().replace("$.", "").replace("$", "properties");
            if (kind.secrets().contains(property)) {
                // never echo a secret's value in a refusal
                message = "secret property '" + property + "' is not valid (" + m.getType() + ")";
            }
            if (property != null && propMap.containsKey(property)) {
                throw at(file, root, List.of("properties", property), message);
            }
            problems.add(message);
        }
        if (!problems.isEmpty()) {
            throw at(file, root, List.of("properties"), String.join("; ", problems));
        }
        return new ChannelBinding(name, kindName, mapping, Map.copyOf(resolved), Set.copyOf(kind.secrets()), replyConcurrency, file);
    }

    /** The mapping must compile; it is evaluated later (dry run, intake) with the same functions. */
    public static void checkMapping(String file, String text) {
        if (text == null || text.isBlank()) {
            throw new ChannelFileError(file, 0, 0, "the mapping file is empty");
        }
        MappingCheck.compile(file, text);
    }

    private static JsonNode typed(JsonNode propertySchema, String value) {
        String type = propertySchema.path("type").asText();
        try {
            if ("integer".equals(type)) {
                return Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(value.trim()));
            }
            if ("number".equals(type)) {
                return Json.MAPPER.getNodeFactory().numberNode(new java.math.BigDecimal(value.trim()));
            }
            if ("boolean".equals(type) && ("true".equalsIgnoreCase(value.trim()) || "false".equalsIgnoreCase(value.trim()))) {
                return Json.MAPPER.getNodeFactory().booleanNode(Boolean.parseBoolean(value.trim()));
            }
        } catch (NumberFormatException e) {
            // left as text: the schema says what is wrong
        }
        return Json.MAPPER.getNodeFactory().textNode(value);
    }

    /** A refusal at the key {@code path} of the YAML document (the closest existing key when it is absent). */
    private static ChannelFileError at(String file, Node root, List<String> path, String problem) {
        Node node = root;
        Mark mark = root.getStartMark();
        for (String key : path) {
            if (!(node instanceof MappingNode m)) {
                break;
            }
            Node next = null;
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                    mark = t.getKeyNode().getStartMark();
                    next = t.getValueNode();
                }
            }
            if (next == null) {
                break;
            }
            node = next;
        }
        return new ChannelFileError(file, mark.getLine() + 1, mark.getColumn() + 1, problem);
    }
}
