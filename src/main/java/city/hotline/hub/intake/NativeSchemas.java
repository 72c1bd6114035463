package city.hotline.hub.intake;

import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import city.hotline.hub.ticket.HttpProblem;
import city.hotline.hub.ticket.HubProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * Validates a native payload against its channel's JSON Schema (in {@code mappings/}) while the
 * sender waits, so that a missing field or a wrong type is a 400 naming it. Uses the same library
 * (networknt) as camel-json-validator, which checks the unified ticket later in the pipeline.
 */
@Component
public class NativeSchemas {

    private final ResourceLoader resources;
    private final String location;
    private final Map<String, JsonSchema> cache = new ConcurrentHashMap<>();

    public NativeSchemas(ResourceLoader resources, HubProperties props) {
        this.resources = resources;
        this.location = props.mappingsLocation();
    }

    public void validate(String channel, String schemaFile, JsonNode payload) {
        if (!payload.isObject()) {
            throw new HttpProblem(400, "expected a JSON object, got " + payload.getNodeType().name().toLowerCase());
        }
        Set<ValidationMessage> errors = cache.computeIfAbsent(schemaFile, this::load).validate(payload);
        if (!errors.isEmpty()) {
            String message = errors.stream().map(ValidationMessage::getMessage).sorted(Comparator.naturalOrder())
                    .collect(Collectors.joining("; "));
            throw new HttpProblem(400, "invalid " + channel + " submission: " + message);
        }
    }

    private JsonSchema load(String schemaFile) {
        try (InputStream in = resources.getResource(location + "/" + schemaFile).getInputStream()) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read intake schema " + location + "/" + schemaFile, e);
        }
    }
}
