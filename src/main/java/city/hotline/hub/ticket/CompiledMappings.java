package city.hotline.hub.ticket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.dashjoin.jsonata.Jsonata;
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
 * The inbox stage's JSONata mapping, with each mapping compiled once rather than per item.
 *
 * <p>Why not the {@code jsonata:} component on this stage: Camel 4.17's {@code JsonataEndpoint} parses
 * the expression again for every exchange and round-trips the body through a String and a byte array
 * both ways. At full load that was 14 % of the hub's CPU (JFR profile of the benchmark, issue 7), for
 * work that is the same for every item. The other routes, which carry far fewer messages, keep the
 * component. The evaluation is the same library (jsonata-java) with the same functions
 * ({@link MappingFunctions}) and the same input shape (plain Java maps and lists, as Jackson reads them).
 *
 * <p>Compiled expressions are kept per thread: jsonata-java 0.9.9 keeps evaluation state in the
 * instance and in a static thread-local (dashjoin/jsonata-java#24, #93), so one instance is never
 * shared between threads. An expression that reads the evaluation's clock or calls {@code $eval}
 * ({@code $now}, {@code $millis}, {@code $eval}) is compiled for every call, as the component does,
 * because 0.9.9 takes those from the thread's most recently compiled instance. A mapping under a
 * {@code file:} location is compiled again when the file changes.
 */
@Component("compiledMappings")
public class CompiledMappings {

    private static final Pattern NEEDS_FRESH_INSTANCE = Pattern.compile("\\$(now|millis|eval)\\s*\\(");

    /** Plain doubles and longs, as the component's own reader gives JSONata (not the ticket reader's BigDecimals). */
    private static final ObjectMapper INPUT = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private record Compiled(Jsonata expression, String text, long stamp, boolean perCall) {
    }

    private final CamelContext camel;
    private final MappingFunctions functions;
    private final ThreadLocal<Map<String, Compiled>> compiled = ThreadLocal.withInitial(HashMap::new);

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
        Compiled c = compiledFor(uri);
        Jsonata expression = c.perCall() ? Jsonata.jsonata(c.text()) : c.expression();
        Jsonata.Frame frame = expression.createFrame();
        functions.bindToFrame(frame);
        Object result = expression.evaluate(INPUT.convertValue(input, Object.class), frame);
        return result == null ? null : Json.MAPPER.valueToTree(result);
    }

    private Compiled compiledFor(String uri) throws IOException {
        Map<String, Compiled> mine = compiled.get();
        Compiled c = mine.get(uri);
        long stamp = stampOf(uri);
        if (c == null || c.stamp() != stamp) {
            String text;
            try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camel, uri)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            boolean perCall = NEEDS_FRESH_INSTANCE.matcher(text).find();
            c = new Compiled(perCall ? null : Jsonata.jsonata(text), text, stamp, perCall);
            mine.put(uri, c);
        }
        return c;
    }

    /** A file's modification time, so an edited mapping is compiled again; 0 for the class path (fixed for the run). */
    private static long stampOf(String uri) throws IOException {
        if (!uri.startsWith("file:")) {
            return 0;
        }
        Path p = Path.of(uri.substring("file:".length()));
        return Files.exists(p) ? Files.getLastModifiedTime(p).toMillis() : 0;
    }
}
