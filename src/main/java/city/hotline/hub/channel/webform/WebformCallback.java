package city.hotline.hub.channel.webform;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Builds the web form's status callback {@code {ticketId, externalId, status, reply, at}} and
 * points the webhook sink at the origin's {@code callbackUrl}. The URL comes from whoever
 * submitted the form, so {@code hub.channels.webform.callback-hosts} can restrict where the hub
 * is willing to call (exact hosts, or {@code *.domain}); empty allows any host.
 */
@Component("webformCallback")
public class WebformCallback {

    private static final Logger LOG = LoggerFactory.getLogger(WebformCallback.class);
    private final List<String> allowedHosts;

    public WebformCallback(@Value("${hub.channels.webform.callback-hosts:}") List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
        if (this.allowedHosts.isEmpty()) {
            LOG.warn("hub.channels.webform.callback-hosts is empty: web form callbacks may go to any host");
        }
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
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("callbackUrl is not a URL: " + url);
        }
        if (host == null) {
            throw new PermanentFailure("callbackUrl has no host: " + url);
        }
        if (allowedHosts.isEmpty()) {
            return;
        }
        String h = host.toLowerCase(Locale.ROOT);
        boolean allowed = allowedHosts.stream().anyMatch(a -> a.startsWith("*.") ? h.endsWith(a.substring(1)) : h.equals(a));
        if (!allowed) {
            throw new PermanentFailure("callback host " + host + " is not in hub.channels.webform.callback-hosts");
        }
    }
}
