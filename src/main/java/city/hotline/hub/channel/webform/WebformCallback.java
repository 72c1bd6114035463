package city.hotline.hub.channel.webform;

import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import city.hotline.hub.ticket.TransientFailure;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Builds the web form's status callback {@code {ticketId, externalId, status, reply, at}} and
 * points the webhook sink at the origin's {@code callbackUrl}. The URL comes from whoever
 * submitted the form, so {@link CallbackPolicy} decides, again at delivery and after DNS
 * resolution, whether the hub may call it. Redirects are not followed (the HTTP component has
 * redirect handling disabled), so an allowed host cannot bounce the call elsewhere.
 */
@Component("webformCallback")
public class WebformCallback {

    private final CallbackPolicy policy;

    public WebformCallback(CallbackPolicy policy) {
        this.policy = policy;
    }

    public void build(Exchange exchange) {
        String target = exchange.getProperty("hubReplyTarget", String.class);
        JsonNode callback = target == null ? null : Json.read(target).get("callbackUrl");
        if (callback == null || !callback.isTextual() || callback.asText().isBlank()) {
            throw new PermanentFailure("the submission gave no callbackUrl; nothing to deliver the reply to");
        }
        checkHost(callback.asText());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ticketId", exchange.getProperty("hubTicketId"));
        body.put("externalId", exchange.getProperty("hubReplyItemId"));
        body.put("status", exchange.getProperty("hubReplyStatus"));
        body.put("reply", exchange.getProperty("hubReplyText"));
        body.put("at", exchange.getProperty("hubReplyAt"));
        Message msg = exchange.getMessage();
        msg.setHeader("hubCallbackUrl", callback.asText());
        msg.setBody(Json.write(body));
    }

    void checkHost(String url) {
        try {
            policy.checkAtDelivery(url);
        } catch (CallbackPolicy.Refused e) {
            throw new PermanentFailure(e.getMessage());
        } catch (UnknownHostException e) {
            // DNS may come back: the reply lane retries with backoff, up to its attempts
            throw new TransientFailure("callback host does not resolve now: " + e.getMessage());
        }
    }
}
