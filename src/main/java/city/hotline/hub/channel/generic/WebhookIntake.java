package city.hotline.hub.channel.generic;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.intake.JsonGuard;
import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.onboarding.ChannelMappings;
import city.hotline.hub.relay.StatusSignature;
import city.hotline.hub.store.InboxGroupCommit;
import city.hotline.hub.store.InboxStore;
import city.hotline.hub.ticket.HttpProblem;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code webhook} connector kind (connectors/webhook-source.kamelet.yaml): a channel's system POSTs
 * JSON or a form to {@code /channels/<name>/<path>}. {@link #verify} checks the sender first, by the
 * binding's {@code verify}: {@code signature} (Standard Webhooks, the scheme of our status webhook:
 * {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}, 5-minute tolerance) or
 * {@code token} (a secret path segment {@code {token}}, compared in constant time). {@link #accept}
 * stores the item in the inbox and only then answers 202; mapping runs later, so a payload that maps
 * to no valid ticket is quarantined, not refused.
 */
@Component("genericWebhook")
public class WebhookIntake {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    private final ChannelMappings channels;
    private final InboxGroupCommit inbox;
    private final MeterRegistry meters;

    public WebhookIntake(ChannelMappings channels, InboxGroupCommit inbox, MeterRegistry meters) {
        this.channels = channels;
        this.inbox = inbox;
        this.meters = meters;
    }

    void verify(Exchange exchange) {
        ChannelBinding binding = binding(exchange);
        Message msg = exchange.getMessage();
        String body = text(msg);
        String secret = binding.property("secret");
        if ("token".equals(binding.property("verify"))) {
            String given = msg.getHeader("token", String.class);
            if (given == null || secret == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    secret.getBytes(StandardCharsets.UTF_8))) {
                throw new HttpProblem(401, "unknown path token");
            }
        } else {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : List.of(StatusSignature.ID, StatusSignature.TIMESTAMP, StatusSignature.SIGNATURE)) {
                String value = msg.getHeader(name, String.class);
                if (value == null || value.isBlank()) {
                    throw new HttpProblem(401, "missing " + name + " header (this channel is signed the Standard Webhooks way)");
                }
                headers.put(name, List.of(value.trim()));
            }
            try {
                StatusSignature.webhook(secret).verify(body, headers);
            } catch (WebhookVerificationException e) {
                throw new HttpProblem(401, "webhook signature refused: " + e.getMessage());
            }
        }
        msg.setBody(body);
    }

    /** Verifies the sender ({@link #verify}), then stores the item and answers 202 with a receipt. */
    public void accept(Exchange exchange) {
        verify(exchange);
        ChannelBinding binding = binding(exchange);
        String channel = binding.name();
        Message msg = exchange.getMessage();
        String text = text(msg);
        JsonNode payload = "form".equals(binding.property("format")) ? form(text) : json(text);
        JsonGuard.check(payload);
        String idExpression = binding.property("itemId", "id");
        String itemId;
        try {
            itemId = ChannelExpressions.text(idExpression, payload);
        } catch (RuntimeException e) {
            throw new HttpProblem(400, "cannot read the item id: " + e.getMessage());
        }
        if (itemId == null) {
            throw new HttpProblem(400, "the payload has no item id (this channel reads it with '" + idExpression + "')");
        }
        String stored = Json.write(payload);
        InboxStore.Receipt receipt = inbox.accept(new InboxStore.Delivery(channel, itemId, stored));
        meters.counter("hub.intake.items", "channel", channel, "outcome", receipt.duplicate() ? "duplicate" : "accepted").increment();
        LOG.debug("Accepted {} item {} as receipt {}", channel, itemId, receipt.receiptId());
        msg.removeHeaders("*");
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
        msg.setBody(Json.write(Map.of("receiptId", receipt.receiptId().toString(), "duplicate", receipt.duplicate())));
    }

    private ChannelBinding binding(Exchange exchange) {
        String channel = exchange.getProperty("hubChannel", String.class);
        if (channel == null) {
            channel = exchange.getMessage().getHeader("hubChannel", String.class);
        }
        String name = channel;
        return channels.find(name).map(ChannelMappings.Accepted::binding)
                .orElseThrow(() -> new HttpProblem(404, "channel '" + name + "' is not running"));
    }

    private static String text(Message msg) {
        Object body = msg.getBody();
        if (body instanceof Map<?, ?> map) {
            // a form platform-http already parsed
            ObjectNode o = Json.object();
            map.forEach((k, v) -> o.put(String.valueOf(k), v == null ? null : formValue(String.valueOf(v))));
            return Json.write(o);
        }
        String s = msg.getBody(String.class);
        return s == null ? "" : s;
    }

    /**
     * platform-http hands a form over as a map whose values are still percent-encoded (seen with Spring's
     * platform-http); decode them, and keep a value as it is when it is no valid encoding (a literal "50%").
     */
    static String formValue(String value) {
        if (value.indexOf('%') < 0 && value.indexOf('+') < 0) {
            return value;
        }
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static JsonNode json(String text) {
        if (text.isBlank()) {
            throw new HttpProblem(400, "empty request body; expected a JSON object");
        }
        try {
            JsonNode node = Json.read(text);
            if (!node.isObject()) {
                throw new HttpProblem(400, "expected a JSON object");
            }
            return node;
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    private static JsonNode form(String text) {
        if (text.trim().startsWith("{")) {
            return json(text);
        }
        ObjectNode o = Json.object();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            o.put(k, v);
        }
        if (o.isEmpty()) {
            throw new HttpProblem(400, "empty form");
        }
        return o;
    }
}
