package city.hotline.hub.channel.webform;

import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Builds the web form's status callback {@code {ticketId, externalId, status, reply, at}} and
 * points the webhook sink at the origin's {@code callbackUrl}.
 */
@Component("webformCallback")
public class WebformCallback {

    public void build(Exchange exchange) {
        String target = exchange.getProperty("hubReplyTarget", String.class);
        JsonNode callback = target == null ? null : Json.read(target).get("callbackUrl");
        if (callback == null || !callback.isTextual() || callback.asText().isBlank()) {
            throw new PermanentFailure("the submission gave no callbackUrl; nothing to deliver the reply to");
        }
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
}
