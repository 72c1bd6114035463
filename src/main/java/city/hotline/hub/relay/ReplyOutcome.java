package city.hotline.hub.relay;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import city.hotline.hub.store.ReplyDeliveryStore;
import city.hotline.hub.ticket.HubProperties;
import city.hotline.hub.ticket.PermanentFailure;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Keeps each origin's delivery state: SENT on success; PENDING with a growing delay (attempts and
 * last error recorded) while the channel fails transiently; FAILED when the channel refuses for
 * good or the attempts run out. A channel's reply route receives the delivery as exchange
 * properties ({@code hubReply*}) and reports back through {@link #sent} or an exception.
 */
@Component("replyOutcome")
public class ReplyOutcome {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyOutcome.class);

    private final ReplyDeliveryStore deliveries;
    private final HubProperties.Retry retry;
    private final MeterRegistry meters;

    public ReplyOutcome(ReplyDeliveryStore deliveries, HubProperties props, MeterRegistry meters) {
        this.deliveries = deliveries;
        this.retry = props.relay().retry();
        this.meters = meters;
    }

    public void prepare(Exchange exchange) {
        Message msg = exchange.getMessage();
        @SuppressWarnings("unchecked")
        Map<String, Object> row = msg.getBody(Map.class);
        msg.removeHeaders("*");
        MDC.put("ticketId", (String) row.get("ticket_id"));
        exchange.setProperty("hubDeliveryId", ((Number) row.get("id")).longValue());
        exchange.setProperty("hubClaimToken", row.get("claim_token"));
        exchange.setProperty("hubAttempts", ((Number) row.get("attempts")).intValue());
        exchange.setProperty("hubTicketId", row.get("ticket_id"));
        exchange.setProperty("hubReplyChannel", row.get("channel"));
        exchange.setProperty("hubReplyItemId", row.get("channel_item_id"));
        exchange.setProperty("hubReplyTarget", row.get("reply_target"));
        exchange.setProperty("hubReplyStatus", row.get("status"));
        exchange.setProperty("hubReplyText", row.get("reply"));
        exchange.setProperty("hubReplyAt", ((Timestamp) row.get("at")).toInstant().toString());
        msg.setBody(null);
    }

    /** For channels whose reply is an HTTP call: 2xx sent, 408/429/5xx retried, other 4xx failed. */
    public void onHttpResponse(Exchange exchange) {
        int code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (code >= 200 && code < 300) {
            sent(exchange);
        } else if (code >= 400 && code < 500 && code != 408 && code != 429) {
            failed(exchange, "channel answered " + code + ": " + abbreviate(exchange.getMessage().getBody(String.class)));
        } else {
            retryLater(exchange, "channel answered " + code + ": " + abbreviate(exchange.getMessage().getBody(String.class)));
        }
    }

    public void sent(Exchange exchange) {
        deliveries.markSent(id(exchange), token(exchange));
        count(exchange, "sent");
        LOG.info("Reply {} of ticket {} delivered to {} item {}", exchange.getProperty("hubReplyStatus"),
                exchange.getProperty("hubTicketId"), exchange.getProperty("hubReplyChannel"), exchange.getProperty("hubReplyItemId"));
    }

    /** From the relay routes' error handler. */
    public void onException(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = e == null ? "unknown error" : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof city.hotline.hub.store.claim.ClaimLost) {
            LOG.warn("Reply of ticket {} to {}: {}; the claim that holds it now decides", exchange.getProperty("hubTicketId"),
                    exchange.getProperty("hubReplyChannel"), e.getMessage());
        } else if (e instanceof city.hotline.hub.ticket.ChannelThrottled t) {
            holdUntil(exchange, t.until(), error);
        } else if (e instanceof PermanentFailure || e instanceof org.apache.camel.component.direct.DirectConsumerNotAvailableException) {
            failed(exchange, error);
        } else {
            retryLater(exchange, error);
        }
    }

    /** The channel holds all calls until {@code until} (a quota): wait without using up an attempt. */
    void holdUntil(Exchange exchange, Instant until, String reason) {
        deliveries.hold(id(exchange), token(exchange), until, reason);
        count(exchange, "held");
        LOG.warn("Reply of ticket {} to {} held until {}: {}", exchange.getProperty("hubTicketId"),
                exchange.getProperty("hubReplyChannel"), until, reason);
    }

    void retryLater(Exchange exchange, String error) {
        int attempts = exchange.getProperty("hubAttempts", 0, Integer.class) + 1;
        if (retry.maxAttempts() != null && attempts >= retry.maxAttempts()) {
            failed(exchange, "gave up after " + attempts + " attempts; last error: " + error);
            return;
        }
        Duration delay = retry.delayAfter(attempts);
        deliveries.reschedule(id(exchange), token(exchange), Instant.now().plus(delay), error);
        count(exchange, "retry");
        LOG.warn("Reply of ticket {} to {} not delivered (attempt {}): {}; next attempt in {}", exchange.getProperty("hubTicketId"),
                exchange.getProperty("hubReplyChannel"), attempts, error, delay);
    }

    void failed(Exchange exchange, String error) {
        deliveries.markFailed(id(exchange), token(exchange), error);
        count(exchange, "failed");
        LOG.error("Reply of ticket {} to {} item {} FAILED: {}", exchange.getProperty("hubTicketId"),
                exchange.getProperty("hubReplyChannel"), exchange.getProperty("hubReplyItemId"), error);
    }

    private static long id(Exchange exchange) {
        return exchange.getProperty("hubDeliveryId", Long.class);
    }

    private static java.util.UUID token(Exchange exchange) {
        return exchange.getProperty("hubClaimToken", java.util.UUID.class);
    }

    private void count(Exchange exchange, String outcome) {
        meters.counter("hub.relay.deliveries", "channel", String.valueOf(exchange.getProperty("hubReplyChannel")), "outcome", outcome).increment();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 1000 ? s.substring(0, 1000) + "…" : s;
    }
}
