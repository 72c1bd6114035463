package city.hotline.hub.channel.generic;

import city.hotline.hub.intake.JsonGuard;
import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.onboarding.ChannelMappings;
import city.hotline.hub.ticket.HttpProblem;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The {@code jms} connector kind (connectors/jms-source.kamelet.yaml): each message of the queue is one
 * item. Stored in the inbox inside the JMS transaction (an outage rolls the message back, the broker
 * redelivers it); a message that is bad data (not a JSON object, no item id, a shape JsonGuard refuses)
 * is quarantined and acknowledged, so it never blocks the queue.
 */
@Component("genericJms")
public class JmsIntake {

    public static final String SOURCE = "jms";

    private final ChannelMappings channels;
    private final PolledIntake intake;

    public JmsIntake(ChannelMappings channels, PolledIntake intake) {
        this.channels = channels;
        this.intake = intake;
    }

    public void accept(Exchange exchange) {
        String name = exchange.getProperty("hubChannel", String.class);
        ChannelBinding b = channels.find(name).map(ChannelMappings.Accepted::binding)
                .orElseThrow(() -> new IllegalStateException("channel '" + name + "' is not running"));
        String text = exchange.getMessage().getBody(String.class);
        JsonNode payload;
        try {
            payload = Json.read(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            intake.reject(b.name(), SOURCE, "not JSON: " + e.getMessage(), text);
            return;
        }
        if (!payload.isObject()) {
            intake.reject(b.name(), SOURCE, "not a JSON object", text);
            return;
        }
        try {
            JsonGuard.check(payload);
        } catch (HttpProblem p) {
            intake.reject(b.name(), SOURCE, p.getMessage(), text);
            return;
        }
        String idExpression = b.property("itemId", "id");
        String id = ChannelExpressions.text(idExpression, payload);
        if (id == null) {
            intake.reject(b.name(), SOURCE, "message without an id ('" + idExpression + "' selects nothing)", text);
            return;
        }
        intake.accept(b.name(), SOURCE, id, Json.write(payload));
    }
}
