package city.hotline.hub.ticket;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.apache.camel.support.ResourceHelper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks each new ticket against {@code mappings/ticket.schema.json} on the inbox stage, on the tree the
 * stage already holds. Why not the {@code json-validator:} component here: it serialises the body to a
 * stream and parses it again for every message (7 % of the hub's CPU at full load, issue 7's profile).
 * This is the same library (networknt), loaded the way the component loads it (the schema's own
 * {@code $schema} version), and a failure is the component's {@link JsonValidationException}, so the
 * inbox's error handling and quarantine reasons are unchanged.
 */
@Component("ticketSchema")
public class TicketSchema {

    private final JsonSchema schema;

    public TicketSchema(CamelContext camel, @Value("${hub.mappings-location}/ticket.schema.json") String uri) throws IOException {
        JsonNode node;
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camel, uri)) {
            node = Json.MAPPER.readTree(in);
        }
        SpecVersion.VersionFlag version = node.has("$schema") ? SpecVersionDetector.detect(node) : SpecVersion.VersionFlag.V201909;
        this.schema = JsonSchemaFactory.getInstance(version).getSchema(URI.create(uri), node, new SchemaValidatorsConfig());
    }

    /** Pipeline step: the ticket kept by {@code exactDedup.complete} (exchange property {@code hubTicket}). */
    public void validate(Exchange exchange) throws JsonValidationException {
        JsonNode ticket = exchange.getProperty("hubTicket", JsonNode.class);
        Set<ValidationMessage> errors = schema.validate(ticket);
        if (!errors.isEmpty()) {
            throw new JsonValidationException(exchange, schema, errors);
        }
    }
}
