package city.hotline.hub.channel.weixin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Chooses how a status change reaches the citizen and builds the message around the mapping's
 * output: within the customer-service window (48 h after the citizen's own message) a
 * customer-service text with the full reply ({@code mappings/weixin-custom.jsonata}); outside it a
 * subscribe message from the configured template ({@code mappings/weixin-subscribe.jsonata}),
 * values fitted to WeChat's limits by {@link SubscribeFields}.
 */
@Component("weixinReplies")
public class WeixinReplies {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WeixinReplies.class);

    static final String MAPPING_PROPERTY = "weixinMapping";
    /** No message: outside the window, and the status is not one of hub.channels.weixin.subscribe-statuses. */
    public static final String KIND_NONE = "NONE";
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    private final WeixinProperties props;
    private final WeixinContacts contacts;
    private final TicketStore tickets;

    public WeixinReplies(WeixinProperties props, WeixinContacts contacts, TicketStore tickets) {
        this.props = props;
        this.contacts = contacts;
        this.tickets = tickets;
    }

    /** Sets the message kind and the mapping to run; the body becomes the mapping input. */
    public void prepare(Exchange exchange) {
        String openId = openId(exchange);
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        ObjectNode input = Json.object();
        input.put("ticketId", ticketId);
        input.put("status", exchange.getProperty("hubReplyStatus", String.class));
        String reply = exchange.getProperty("hubReplyText", String.class);
        if (reply != null && !reply.isBlank()) {
            input.put("reply", reply);
        }
        String at = exchange.getProperty("hubReplyAt", String.class);
        input.put("at", at);
        input.put("atLocal", LOCAL_TIME.format(Instant.parse(at)));
        tickets.find(ticketId).ifPresent(t -> {
            if (t.hasNonNull("title")) {
                input.put("title", t.get("title").asText());
            }
            input.put("content", t.path("content").asText());
        });
        Message msg = exchange.getMessage();
        if (withinWindow(openId)) {
            msg.setHeader(WeixinConstants.MESSAGE_KIND, WeixinConstants.KIND_CUSTOMER_SERVICE);
            exchange.setProperty(MAPPING_PROPERTY, "weixin-custom.jsonata");
        } else if (props.subscribeConfigured() && !props.subscribeStatuses().contains(exchange.getProperty("hubReplyStatus", String.class))) {
            // one consent allows one subscribe message: keep it for the statuses that matter to the citizen
            msg.setHeader(WeixinConstants.MESSAGE_KIND, KIND_NONE);
            exchange.setProperty(MAPPING_PROPERTY, "weixin-subscribe.jsonata");
        } else if (props.subscribeConfigured()) {
            msg.setHeader(WeixinConstants.MESSAGE_KIND, WeixinConstants.KIND_SUBSCRIBE);
            exchange.setProperty(MAPPING_PROPERTY, "weixin-subscribe.jsonata");
        } else {
            throw new PermanentFailure("the citizen's last message is older than " + props.customerServiceWindow().toHours()
                    + " h and no subscribe template is configured (hub.channels.weixin.reply-template-id)");
        }
        msg.setBody(Json.write(input));
    }

    /** Wraps the mapping's output into the API body of the chosen message kind. */
    public void finish(Exchange exchange) {
        Message msg = exchange.getMessage();
        ObjectNode mapped = Json.readObject(msg.getBody(String.class));
        ObjectNode body = Json.object();
        body.put("touser", openId(exchange));
        if (WeixinConstants.KIND_CUSTOMER_SERVICE.equals(msg.getHeader(WeixinConstants.MESSAGE_KIND))) {
            String text = mapped.path("text").asText("");
            if (text.isBlank()) {
                throw new PermanentFailure("mapping error: mappings/weixin-custom.jsonata produced no 'text'");
            }
            body.put("msgtype", "text");
            body.putObject("text").put("content", text);
        } else {
            body.put("template_id", props.replyTemplateId());
            String page = mapped.hasNonNull("page") ? mapped.get("page").asText() : props.replyPage();
            if (page != null && !page.isBlank()) {
                body.put("page", page);
            }
            body.put("miniprogram_state", props.miniprogramState());
            body.put("lang", "zh_CN");
            try {
                body.set("data", SubscribeFields.fit(mapped.get("data")));
            } catch (IllegalArgumentException e) {
                throw new PermanentFailure("mapping error: " + e.getMessage());
            }
        }
        msg.setBody(Json.write(body));
    }

    /** A status no subscribe message is spent on: nothing is sent, the delivery is done. */
    public void notSent(Exchange exchange) {
        LOG.info("Status {} of ticket {} not sent to WeChat: outside the customer-service window, and subscribe messages"
                        + " (one per consent) are kept for {} (hub.channels.weixin.subscribe-statuses)",
                exchange.getProperty("hubReplyStatus"), exchange.getProperty("hubTicketId"), props.subscribeStatuses());
    }

    /**
     * WeChat refused the message for good. A 45015 means the customer-service window is closed
     * whatever our table says (the citizen may have unfollowed): forget it, so a retry of this
     * delivery, and the next status change, go out as a subscribe message. Rethrows the refusal
     * for the reply error handler (delivery FAILED with the reason).
     */
    public void refused(Exchange exchange) {
        WeixinApiException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, WeixinApiException.class);
        if (e != null && e.errcode() == 45015) {
            contacts.windowClosed(props.appId(), openId(exchange));
        }
        throw e != null ? e : new PermanentFailure("WeChat refused the message");
    }

    private boolean withinWindow(String openId) {
        Optional<Instant> last = contacts.lastMessageAt(props.appId(), openId);
        Duration window = props.customerServiceWindow();
        return last.isPresent() && last.get().plus(window).isAfter(Instant.now());
    }

    private static String openId(Exchange exchange) {
        String target = exchange.getProperty("hubReplyTarget", String.class);
        JsonNode openId = target == null ? null : Json.read(target).get("openid");
        if (openId == null || !openId.isTextual() || openId.asText().isBlank()) {
            throw new PermanentFailure("the origin has no openid to reply to");
        }
        return openId.asText();
    }
}
