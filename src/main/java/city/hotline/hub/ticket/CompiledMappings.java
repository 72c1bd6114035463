package city.hotline.hub.ticket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.ResourceHelper;
import org.springframework.stereotype.Component;

/**
 * The inbox stage's JSONata mapping, with each mapping parsed once rather than per item.
 *
 * <p>Why not the {@code jsonata:} component on this stage: Camel 4.17's {@code JsonataEndpoint} parses
 * the expression again for every exchange and round-trips the body through a String and a byte array
 * both ways. At full load that was 14 % of the hub's CPU (JFR profile of the benchmark, issue 7), for
 * work that is the same for every item. The other routes, which carry far fewer messages, keep the
 * component. The evaluation is the same library (jsonata-java, reused safely by {@link ReusableJsonata})
 * with the same functions ({@link MappingFunctions}) and the same input shape (plain Java maps and
 * lists, as Jackson reads them). A mapping under a {@code file:} location is parsed again when the file
 * changes.
 */
@Component("compiledMappings")
public class CompiledMappings {

    /** Plain doubles and longs, as the component's own reader gives JSONata (not the ticket reader's BigDecimals). */
    private static final ObjectMapper INPUT = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private record Compiled(ReusableJsonata expression, long stamp) {
    }

    private final CamelContext camel;
    private final MappingFunctions functions;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    public CompiledMappings(CamelContext camel, MappingFunctions functions) {
        this.camel = camel;
        this.functions = functions;
    }

    /** Reads a native payload as the mapping's input: JSON numbers as Integer, Long or Double, never BigDecimal. */
    public static JsonNode readInput(String json) {
        try {
            return INPUT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Pipeline step: maps the body (the mapping input built by {@code inboxItems}) with the mapping at
     * {@code exchangeProperty.hubMappingUri}; the body becomes the result as a tree (null if none).
     */
    public void map(Exchange exchange) throws IOException, org.apache.camel.InvalidPayloadException {
        String uri = exchange.getProperty("hubMappingUri", String.class);
        JsonNode input = exchange.getMessage().getMandatoryBody(JsonNode.class);
        exchange.getMessage().setBody(evaluate(uri, input));
    }

    /** The mapping's result for one input, as a tree (null when the mapping yields nothing). */
    public JsonNode evaluate(String uri, JsonNode input) throws IOException {
        Object result = compiledFor(uri).evaluate(INPUT.convertValue(input, Object.class), functions::bindToFrame);
        return result == null ? null : Json.MAPPER.valueToTree(result);
    }

    private ReusableJsonata compiledFor(String uri) throws IOException {
        long stamp = stampOf(uri);
        Compiled c = compiled.get(uri);
        if (c == null || c.stamp() != stamp) {
            String text;
            try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camel, uri)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            c = new Compiled(new ReusableJsonata(text), stamp);
            compiled.put(uri, c);
        }
        return c.expression();
    }

    /** A file's modification time, so an edited mapping is parsed again; 0 for the class path (fixed for the run). */
    private static long stampOf(String uri) throws IOException {
        if (!uri.startsWith("file:")) {
            return 0;
        }
        Path p = Path.of(uri.substring("file:".length()));
        return Files.exists(p) ? Files.getLastModifiedTime(p).toMillis() : 0;
    }
}
