package city.hotline.hub.intake;

import java.util.Map;

import city.hotline.hub.channel.webform.CallbackPolicy;
import city.hotline.hub.console.ApiClientRegistry;
import city.hotline.hub.store.InboxGroupCommit;
import city.hotline.hub.store.InboxStore;
import city.hotline.hub.ticket.HttpProblem;
import city.hotline.hub.ticket.HubProperties;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The front door of a generic HTTP intake channel. Checks what can be checked while the sender is
 * still waiting (known channel, JSON (UTF-8 was checked by JsonBodyFilter), the channel's native schema, content length) and
 * answers with a 4xx that names the problem; otherwise stores the item and only then says 202.
 * Mapping and the ticket schema run after the answer, so their failures are quarantined instead.
 * Concurrent requests share one commit ({@link InboxGroupCommit}); each still answers only after its own row is stored.
 */
@Component("intakeGate")
public class IntakeGate {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeGate.class);

    private final HubProperties props;
    private final NativeSchemas schemas;
    private final InboxGroupCommit inbox;
    private final MeterRegistry meters;
    private final CallbackPolicy callbacks;

    private final ApiClientRegistry clients;

    public IntakeGate(HubProperties props, NativeSchemas schemas, InboxGroupCommit inbox, MeterRegistry meters, CallbackPolicy callbacks,
                      ApiClientRegistry clients) {
        this.clients = clients;
        this.props = props;
        this.schemas = schemas;
        this.inbox = inbox;
        this.meters = meters;
        this.callbacks = callbacks;
    }

    public void accept(Exchange exchange) {
        String channel = exchange.getMessage().getHeader("channel", String.class);
        try {
            // set by ApiKeyFilter from the X-Api-Key; a value sent by the caller never gets here
            String clientName = exchange.getMessage().getHeader("X-Hub-Api-Client", String.class);
            ApiClientRegistry.Client client = clientName == null ? null : clients.byName(clientName).orElse(null);
            if (client == null) {
                throw new HttpProblem(401, "no API client");
            }
            if (!client.mayUse(channel)) {
                throw new HttpProblem(403, "API client '" + client.name() + "' may not post to channel '" + channel
                        + "' (hub.api.clients." + client.name() + ".channels)");
            }
            Map<String, Object> receipt = accept(channel, client.name(), exchange.getMessage().getBody(String.class));
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setBody(Json.write(receipt));
        } catch (HttpProblem p) {
            meters.counter("hub.intake.items", "channel", known(channel) ? channel : "unknown", "outcome", "rejected").increment();
            throw p;
        }
    }

    Map<String, Object> accept(String channel, String client, String text) {
        HubProperties.IntakeChannel config = props.intake().channels() == null ? null : props.intake().channels().get(channel);
        if (config == null || !config.genericHttp()) {
            throw new HttpProblem(404, "unknown channel '" + channel + "'; open on this API: " + genericChannels());
        }
        if (text == null || text.isBlank()) {
            throw new HttpProblem(400, "empty request body; expected a JSON object");
        }
        JsonNode json;
        try {
            json = Json.read(text);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
        // strings the database would refuse, or that nobody means to send, and shapes that only
        // serve to exhaust the mapping: refused here with the field named, not quarantined later
        JsonGuard.check(json);
        schemas.validate(channel, config.schema(), json);
        JsonNode callbackUrl = json.get("callbackUrl");
        if (callbackUrl != null && callbackUrl.isTextual()) {
            try {
                callbacks.checkAtIntake(callbackUrl.asText());
            } catch (CallbackPolicy.Refused e) {
                throw new HttpProblem(400, e.getMessage());
            }
        }
        JsonNode content = json.get("content");
        int limit = props.intake().maxContentChars();
        if (content != null && content.isTextual()) {
            int length = content.asText().codePointCount(0, content.asText().length());
            if (length > limit) {
                throw new HttpProblem(413, "content has " + length + " characters; the limit is " + limit);
            }
        }
        String itemId = json.path(config.itemIdField()).asText();
        InboxStore.Receipt receipt = inbox.accept(new InboxStore.Delivery(channel, itemId, text, client));
        meters.counter("hub.intake.items", "channel", channel, "outcome", receipt.duplicate() ? "duplicate" : "accepted").increment();
        // one line per ticket is enough at INFO: "Created ticket" follows once it is mapped
        LOG.debug("Accepted {} item {} as receipt {}{}", channel, itemId, receipt.receiptId(), receipt.duplicate() ? " (identical re-delivery)" : "");
        return Map.of("receiptId", receipt.receiptId().toString(), "duplicate", receipt.duplicate());
    }

    private boolean known(String channel) {
        return genericChannels().contains(channel);
    }

    private java.util.List<String> genericChannels() {
        return props.intake().channels() == null ? java.util.List.of() : props.intake().channels().entrySet().stream()
                .filter(e -> e.getValue().genericHttp()).map(Map.Entry::getKey).sorted().toList();
    }
}
