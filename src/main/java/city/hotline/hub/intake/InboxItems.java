package city.hotline.hub.intake;

import java.sql.Timestamp;
import java.util.Map;

import city.hotline.hub.ticket.HubProperties;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Turns a claimed inbox row (one of the batch that {@code claim:inboxStore} hands over) into the mapping input
 * {@code {"native": ..., "meta": {"channel", "channelItemId", "receivedAt"}}} and names the
 * channel's mapping file in a header.
 */
@Component("inboxItems")
public class InboxItems {

    private final HubProperties props;
    private final city.hotline.hub.onboarding.ChannelMappings fileChannels;

    public InboxItems(HubProperties props, city.hotline.hub.onboarding.ChannelMappings fileChannels) {
        this.props = props;
        this.fileChannels = fileChannels;
    }

    public void toMappingInput(Exchange exchange) {
        Message msg = exchange.getMessage();
        @SuppressWarnings("unchecked")
        Map<String, Object> row = msg.getBody(Map.class);
        String channel = (String) row.get("channel");
        // first, so that a failure below is still known as this row's (InboxFailures)
        exchange.setProperty("hubInboxId", ((Number) row.get("id")).longValue());
        exchange.setProperty("hubClaimToken", row.get("claim_token"));
        exchange.setProperty("hubAttempts", ((Number) row.get("attempts")).intValue());
        exchange.setProperty("hubChannel", channel);
        exchange.setProperty("hubChannelItemId", row.get("channel_item_id"));
        exchange.setProperty("hubClient", row.get("client") == null ? "default" : row.get("client"));
        exchange.setProperty("hubRawPayload", row.get("payload"));
        HubProperties.IntakeChannel config = props.intake().channels().get(channel);
        // a channel defined by files (hub.channels.dir, onboarding/ChannelDirectory) brings its own mapping
        String fileMapping = config == null ? fileChannels.uriFor(channel) : null;
        if (config == null && fileMapping == null) {
            throw new city.hotline.hub.ticket.PermanentFailure("no mapping configured for channel '" + channel + "'");
        }
        String payload = (String) row.get("payload");
        exchange.setProperty("hubMapping", config != null ? config.mapping() : fileMapping);
        exchange.setProperty("hubMappingUri", config != null ? props.mappingsLocation() + "/" + config.mapping() : fileMapping);
        ObjectNode input = Json.object();
        // read as the mapping's input (plain numbers, not the ticket reader's BigDecimals): ticket/CompiledMappings
        com.fasterxml.jackson.databind.JsonNode nativePayload = city.hotline.hub.ticket.CompiledMappings.readInput(payload);
        try {
            // what the HTTP intake refuses with a 400 can still come from a polled channel or an old row:
            // a NUL, a lone surrogate or an absurd shape fails here, at once and by name, not in the database
            JsonGuard.check(nativePayload);
        } catch (city.hotline.hub.ticket.HttpProblem p) {
            throw new city.hotline.hub.ticket.PermanentFailure("the item cannot be stored: " + p.getMessage());
        }
        input.set("native", nativePayload);
        ObjectNode meta = input.putObject("meta");
        meta.put("channel", channel);
        meta.put("channelItemId", (String) row.get("channel_item_id"));
        meta.put("client", row.get("client") == null ? "default" : (String) row.get("client"));
        meta.put("receivedAt", ((Timestamp) row.get("received_at")).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        MDC.remove("ticketId");
        msg.setBody(input);
    }
}
