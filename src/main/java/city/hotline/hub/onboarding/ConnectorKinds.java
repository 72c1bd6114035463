package city.hotline.hub.onboarding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The connector kinds a channel file may name: each is a Kamelet {@code connectors/<kind>-source.kamelet.yaml}
 * in the jar whose {@code spec.definition} is the JSON Schema of its properties (secrets marked
 * {@code format: password} and {@code x-descriptors: urn:camel:group:credentials}, as Camel's own Kamelets
 * do) and whose annotation {@code hotline-hub/intake-bean} names the bean that stores what it emits.
 */
public final class ConnectorKinds {

    public static final String INTAKE_BEAN = "hotline-hub/intake-bean";
    public static final String INNER_ROUTE_SUFFIX = "hotline-hub/route-suffix";
    public static final String ROUTE_CONFIGURATION = "hotline-hub/route-configuration";

    /** One kind: its Kamelet's name, property schema, secret properties and intake bean. */
    public record Kind(String name, String kamelet, JsonNode definition, JsonSchema schema, Set<String> secrets,
                       Map<String, String> defaults, String intakeBean, String routeSuffix,
                       String routeConfiguration) {
    }

    private static final Map<String, Optional<Kind>> CACHE = new ConcurrentHashMap<>();

    private ConnectorKinds() {
    }

    public static Optional<Kind> find(String kind) {
        if (kind == null || !kind.matches("[a-z][a-z0-9-]*")) {
            return Optional.empty();
        }
        return CACHE.computeIfAbsent(kind, ConnectorKinds::load);
    }

    private static Optional<Kind> load(String kind) {
        String kamelet = kind + "-source";
        String resource = "connectors/" + kamelet + ".kamelet.yaml";
        try (InputStream in = ConnectorKinds.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(parse(kind, kamelet, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** Reads a Kamelet's text into a kind (also used by the build's check of every Kamelet). */
    public static Kind parse(String kind, String kamelet, String text) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        JsonNode root = Json.MAPPER.valueToTree(doc);
        JsonNode definition = root.path("spec").path("definition");
        if (!definition.isObject() || !definition.path("properties").isObject()) {
            throw new IllegalArgumentException("Kamelet " + kamelet + " has no spec.definition.properties");
        }
        ObjectNode schemaNode = definition.deepCopy();
        schemaNode.put("type", "object");
        schemaNode.put("additionalProperties", false);
        // x-descriptors (Camel's UI hints) are no JSON Schema keywords: kept in the definition, left out of the check
        schemaNode.path("properties").forEach(p -> {
            if (p instanceof ObjectNode o) {
                o.remove("x-descriptors");
            }
        });
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode);
        Set<String> secrets = new LinkedHashSet<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        definition.path("properties").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            boolean secret = "password".equals(p.path("format").asText());
            for (JsonNode d : p.path("x-descriptors")) {
                secret |= d.asText().contains("credentials") || d.asText().contains("password");
            }
            if (secret) {
                secrets.add(e.getKey());
            }
            if (p.has("default")) {
                defaults.put(e.getKey(), p.get("default").asText());
            }
        });
        JsonNode annotations = root.path("metadata").path("annotations");
        return new Kind(kind, kamelet, definition, schema, secrets, defaults,
                annotations.path(INTAKE_BEAN).asText(null), annotations.path(INNER_ROUTE_SUFFIX).asText("source"), annotations.path(ROUTE_CONFIGURATION).asText(null));
    }
}
