package city.hotline.hub.dispatch;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import city.hotline.hub.dedup.ExactDedup;
import city.hotline.hub.store.ForwardOutboxStore;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.HubProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides what a forwarding attempt means for its outbox row: 2xx delivered; 4xx quarantined
 * with the response body (the case system refused the ticket, a retry would too); 5xx, timeouts
 * and connection errors rescheduled with exponential backoff until {@code give-up-after}, then
 * quarantined (replayable) rather than dropped.
 */
@Component("forwardOutcome")
public class ForwardOutcome {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardOutcome.class);

    private final ForwardOutboxStore outbox;
    private final QuarantineStore quarantine;
    private final TicketStore tickets;
    private final TransactionTemplate tx;
    private final HubProperties.Retry retry;
    private final Timer latency;
    private final io.micrometer.core.instrument.Counter redeliveries;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();

    public ForwardOutcome(ForwardOutboxStore outbox, QuarantineStore quarantine, TicketStore tickets,
                          TransactionTemplate tx, HubProperties props, MeterRegistry meters) {
        this.outbox = outbox;
        this.quarantine = quarantine;
        this.tickets = tickets;
        this.tx = tx;
        this.retry = props.backends().caseSystem().retry();
        this.latency = Timer.builder("hub.forward.latency").description("from ticket stored to accepted by the back-end")
                .tag("backend", ExactDedup.CASE_SYSTEM).publishPercentileHistogram().register(meters);
        // registered up front so that dashboards see a 0 rather than no series
        this.redeliveries = io.micrometer.core.instrument.Counter.builder("hub.forward.redeliveries")
                .description("forwarding attempts that failed and were rescheduled")
                .tag("backend", ExactDedup.CASE_SYSTEM).register(meters);
    }

    /** Headers for one outbox row from the SQL consumer's map body; the body becomes the ticket JSON. */
    public void prepare(Exchange exchange) {
        Message msg = exchange.getMessage();
        @SuppressWarnings("unchecked")
        Map<String, Object> row = msg.getBody(Map.class);
        msg.removeHeaders("*");
        String ticketId = (String) row.get("ticket_id");
        MDC.put("ticketId", ticketId);
        exchange.setProperty("hubOutboxId", ((Number) row.get("id")).longValue());
        exchange.setProperty("hubTicketId", ticketId);
        exchange.setProperty("hubAttempts", ((Number) row.get("attempts")).intValue());
        exchange.setProperty("hubQueuedAt", ((Timestamp) row.get("created_at")).toInstant());
        exchange.setProperty("hubPayload", row.get("payload"));
        exchange.setProperty("hubClaimToken", row.get("claim_token"));
        boolean update = ForwardOutboxStore.Kind.UPDATE.name().equals(row.get("kind"));
        int version = ((Number) row.get("version")).intValue();
        exchange.setProperty("hubUpdate", update);
        // a creation is keyed by the ticket id alone (as before updates existed); an update by ticket and version
        msg.setHeader("Idempotency-Key", update ? ticketId + ":" + version : ticketId);
        // JMS: Artemis drops a second message with the same duplicate-detection id (a resend after a crash)
        exchange.setProperty("hubDuplicateId", ticketId + ":" + version);
        msg.setHeader(Exchange.HTTP_METHOD, update ? "PUT" : "POST");
        msg.setHeader(Exchange.HTTP_PATH, update ? "tickets/" + ticketId : "tickets");
        msg.setBody(row.get("payload"));
    }

    public void onHttpResponse(Exchange exchange) {
        Message msg = exchange.getMessage();
        int code = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = msg.getBody(String.class);
        if (code >= 200 && code < 300) {
            delivered(exchange);
        } else if (code >= 400 && code < 500 && code != 408 && code != 429) {
            refused(exchange, "case system answered " + code + ": " + abbreviate(body));
        } else {
            failedForNow(exchange, "case system answered " + code + ": " + abbreviate(body));
        }
    }

    public void delivered(Exchange exchange) {
        Message msg = exchange.getMessage();
        long id = exchange.getProperty("hubOutboxId", Long.class);
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        java.util.UUID token = exchange.getProperty("hubClaimToken", java.util.UUID.class);
        tx.executeWithoutResult(s -> {
            outbox.commitWithoutWaitingForDisk();
            outbox.markSent(id, token);
            tickets.markForwarded(ticketId);
        });
        consecutiveFailures.set(0);
        lastSuccess.set(Instant.now());
        Instant queuedAt = exchange.getProperty("hubQueuedAt", Instant.class);
        latency.record(Duration.between(queuedAt, Instant.now()));
        LOG.info("Ticket {} {} the case system", ticketId,
                Boolean.TRUE.equals(exchange.getProperty("hubUpdate")) ? "update delivered to" : "delivered to");
    }

    /** Connection errors and timeouts arrive here through the route's error handler. */
    public void onException(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof city.hotline.hub.store.claim.ClaimLost) {
            LOG.warn("Ticket {}: {}; the claim that holds the row now decides", exchange.getProperty("hubTicketId"), e.getMessage());
            return;
        }
        failedForNow(exchange, e == null ? "unknown error" : e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    void failedForNow(Exchange exchange, String error) {
        Message msg = exchange.getMessage();
        long id = exchange.getProperty("hubOutboxId", Long.class);
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        int attempts = exchange.getProperty("hubAttempts", 0, Integer.class) + 1;
        Instant queuedAt = exchange.getProperty("hubQueuedAt", Instant.class);
        consecutiveFailures.incrementAndGet();
        lastError.set(error);
        redeliveries.increment();
        if (queuedAt != null && Duration.between(queuedAt, Instant.now()).compareTo(retry.giveUpAfter()) > 0) {
            quarantineRow(exchange, id, ticketId, "gave up after " + attempts + " attempts over " + retry.giveUpAfter() + "; last error: " + error,
                    exchange.getProperty("hubPayload", String.class));
            return;
        }
        Duration delay = retry.delayAfter(attempts);
        outbox.reschedule(id, exchange.getProperty("hubClaimToken", java.util.UUID.class), Instant.now().plus(delay), error);
        LOG.warn("Ticket {} not delivered (attempt {}): {}; next attempt in {}", ticketId, attempts, error, delay);
    }

    void refused(Exchange exchange, String reason) {
        Message msg = exchange.getMessage();
        quarantineRow(exchange, exchange.getProperty("hubOutboxId", Long.class), exchange.getProperty("hubTicketId", String.class), reason,
                exchange.getProperty("hubPayload", String.class));
        // the case system answered: it is reachable
        consecutiveFailures.set(0);
    }

    private void quarantineRow(Exchange exchange, long id, String ticketId, String reason, String payload) {
        java.util.UUID token = exchange.getProperty("hubClaimToken", java.util.UUID.class);
        tx.executeWithoutResult(s -> {
            outbox.markQuarantined(id, token, reason);
            quarantine.add(ExactDedup.CASE_SYSTEM, QuarantineStore.Stage.FORWARD, id, ticketId, reason, payload);
        });
        LOG.error("Ticket {} quarantined at forwarding: {}", ticketId, reason);
    }

    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    public String lastError() {
        return lastError.get();
    }

    public Instant lastSuccess() {
        return lastSuccess.get();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }
}
