package city.hotline.hub.channel.generic;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import city.hotline.hub.onboarding.ChannelMappings;
import city.hotline.hub.onboarding.ChannelFileError;
import city.hotline.hub.onboarding.MappingCheck;
import city.hotline.hub.relay.ReplyOutcome;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The reply half of a file channel's mapping. A channel's reply route (routes/&lt;name&gt;.yaml, from
 * {@code direct:reply-<name>}) calls {@link #map} first: the channel's mapping is evaluated on
 * {@code {"reply": {ticketId, status, reply?, at, atLocal, channelItemId, replyTarget?, title?}}} and
 * its result becomes the JSON body the route sends. When the mapping gives nothing for a status,
 * that status is not answered on this channel: the delivery is finished (SENT, nothing sent) and the
 * route stops.
 */
@Component("channelReplies")
public class ChannelReplies {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelReplies.class);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    private final ChannelMappings channels;
    private final TicketStore tickets;
    private final ReplyOutcome outcome;

    private final city.hotline.hub.ticket.MappingFunctions functions;

    public ChannelReplies(ChannelMappings channels, TicketStore tickets, ReplyOutcome outcome,
                          city.hotline.hub.ticket.MappingFunctions functions) {
        this.functions = functions;
        this.channels = channels;
        this.tickets = tickets;
        this.outcome = outcome;
    }

    /** The mapping's input for a reply, from the delivery's exchange properties (relay/ReplyOutcome.prepare). */
    public static ObjectNode replyInput(String ticketId, String status, String reply, String at, String channelItemId,
                                        String replyTarget, String title) {
        ObjectNode r = Json.object();
        r.put("ticketId", ticketId);
        r.put("status", status);
        if (reply != null && !reply.isBlank()) {
            r.put("reply", reply);
        }
        if (at != null) {
            r.put("at", at);
            r.put("atLocal", LOCAL.format(Instant.parse(at)));
        }
        if (channelItemId != null) {
            r.put("channelItemId", channelItemId);
        }
        if (replyTarget != null) {
            r.set("replyTarget", Json.read(replyTarget));
        }
        if (title != null) {
            r.put("title", title);
        }
        ObjectNode input = Json.object();
        input.set("reply", r);
        return input;
    }

    public void map(Exchange exchange) {
        String channel = exchange.getProperty("hubReplyChannel", String.class);
        ChannelMappings.Accepted mapping = channels.find(channel)
                .orElseThrow(() -> new PermanentFailure("channel '" + channel + "' is not running (no file channel of that name)"));
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        String title = tickets.find(ticketId).map(t -> t.hasNonNull("title") ? t.get("title").asText() : null).orElse(null);
        ObjectNode input = replyInput(ticketId, exchange.getProperty("hubReplyStatus", String.class),
                exchange.getProperty("hubReplyText", String.class), exchange.getProperty("hubReplyAt", String.class),
                exchange.getProperty("hubReplyItemId", String.class), exchange.getProperty("hubReplyTarget", String.class), title);
        JsonNode out;
        try {
            Jsonata compiled = MappingCheck.compile(mapping.file(), mapping.text());
            out = MappingCheck.evaluate(mapping.file(), mapping.text(), compiled, input, functions);
        } catch (ChannelFileError e) {
            throw new PermanentFailure("reply mapping error: " + e.getMessage());
        }
        if (out == null || out.isNull() || (out.isObject() && out.isEmpty())) {
            LOG.info("Status {} of ticket {} is not answered on channel {} (its mapping gives no reply)",
                    input.path("reply").path("status").asText(), ticketId, channel);
            outcome.sent(exchange);
            exchange.setRouteStop(true);
            return;
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
        exchange.getMessage().setBody(Json.write(out));
    }
}
