package city.hotline.hub.relay;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.store.ReplayGuardStore;
import city.hotline.hub.store.ReplyDeliveryStore;
import city.hotline.hub.store.StatusStore;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.HttpProblem;
import city.hotline.hub.ticket.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a status report in one transaction: an identical repeat changes nothing, a report older
 * (by {@code at}) than the ticket's last one is recorded but does not overwrite it, anything else
 * moves the ticket on and queues one reply per origin in the reply outbox.
 */
@Component("statusApplier")
public class StatusApplier {

    private static final Logger LOG = LoggerFactory.getLogger(StatusApplier.class);

    private final TicketStore tickets;
    private final StatusStore statuses;
    private final ReplyDeliveryStore replies;
    private final QuarantineStore quarantine;
    private final TransactionTemplate tx;
    private final ReplayGuardStore seen;
    /** Routing (issue 12): each back-end's status kept apart; a field so the constructor stays as it was. */
    @org.springframework.beans.factory.annotation.Autowired
    private city.hotline.hub.dispatch.BackendStatuses backendStatuses;

    public StatusApplier(TicketStore tickets, StatusStore statuses, ReplyDeliveryStore replies,
                         QuarantineStore quarantine, TransactionTemplate tx, ReplayGuardStore seen) {
        this.seen = seen;
        this.tickets = tickets;
        this.statuses = statuses;
        this.replies = replies;
        this.quarantine = quarantine;
        this.tx = tx;
    }

    /**
     * From the signed webhook: the ticket id is in the path and, the same, in the body; problems are
     * 4xx answers. Each {@code webhook-id} is applied once: it is recorded in the transaction that
     * applies the report (a report that fails is not recorded, so the case system's retry with the
     * same id still counts), and a repeat is answered 200 and changes nothing.
     */
    public void fromHttp(Exchange exchange) {
        Message msg = exchange.getMessage();
        String ticketId = msg.getHeader("ticketId", String.class);
        String webhookId = msg.getHeader(StatusSignature.VERIFIED_ID, String.class);
        String body = msg.getBody(String.class);
        StatusReport report;
        try {
            report = StatusReport.parseForPath(ticketId, body);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new HttpProblem(400, "invalid status report: " + e.getMessage());
        }
        Map<String, Object> result = tx.execute(s -> {
            // kept twice the tolerance: a timestamp can be up to 5 minutes behind or ahead of ours
            if (webhookId != null && !seen.firstWebhookId(webhookId, StatusSignature.TOLERANCE.multipliedBy(2))) {
                Map<String, Object> repeat = new LinkedHashMap<>();
                repeat.put("ticketId", ticketId);
                repeat.put("outcome", "DUPLICATE");
                repeat.put("webhookId", webhookId);
                LOG.info("Status report webhook-id {} for ticket {} was received before; nothing changes", webhookId, ticketId);
                return repeat;
            }
            return apply(report, city.hotline.hub.dispatch.BackendStatuses.backendOf(body, msg.getHeader(StatusSignature.VERIFIED_BACKEND, String.class)))
                    .orElseThrow(() -> new HttpProblem(404, "unknown ticket " + ticketId));
        });
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
        msg.setBody(Json.write(result));
    }

    /**
     * From the JMS queue: a report that cannot be applied (unreadable, unknown ticket, a value the
     * database refuses) is quarantined with its reason, visible and replayable, never left to the
     * broker's dead-letter queue. An infrastructure failure is thrown, so the transacted consumer
     * rolls back and the broker redelivers the message later.
     */
    public void fromQueue(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        String ticketId = exchange.getMessage().getHeader("ticketId", String.class);
        StatusReport report;
        try {
            report = StatusReport.parse(ticketId, body);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            quarantineFromQueue(ticketId, "invalid status report: " + e.getMessage(), body);
            return;
        }
        try {
            if (apply(report, city.hotline.hub.dispatch.BackendStatuses.backendOf(body)).isEmpty()) {
                quarantineFromQueue(report.ticketId(), "unknown ticket " + report.ticketId(), body);
            }
        } catch (RuntimeException e) {
            if (city.hotline.hub.store.StorageErrors.isInfrastructure(e)) {
                throw e;
            }
            quarantineFromQueue(report.ticketId(), "status report could not be applied: " + e.getMessage(), body);
        }
    }

    private void quarantineFromQueue(String ticketId, String reason, String body) {
        long id = quarantine.add("case-system", QuarantineStore.Stage.STATUS, null, ticketId, reason, body);
        LOG.error("Status report from the queue quarantined as {}: {}", id, reason);
    }

    public Optional<Map<String, Object>> apply(StatusReport r) {
        return apply(r, null);
    }

    /** @param backend the back-end the report names (joint dispatch), or null for the ticket's lead back-end */
    public Optional<Map<String, Object>> apply(StatusReport r, String backend) {
        MDC.put("ticketId", r.ticketId());
        return Optional.ofNullable(tx.execute(s -> applyInTransaction(r, backend)));
    }

    private Map<String, Object> applyInTransaction(StatusReport r, String backend) {
        Optional<TicketStore.Locked> locked = tickets.lock(r.ticketId());
        if (locked.isEmpty()) {
            return null;
        }
        TicketStore.Locked t = locked.get();
        // routing (issue 12): a joint dispatch's other back-ends have their status on the ticket, apart
        if (!backendStatuses.record(r.ticketId(), t.body(), backend, r.status(), r.at())) {
            t.body().put("updatedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            tickets.update(r.ticketId(), t.body(), t.status(), null);
            tickets.addEvent(r.ticketId(), "BACKEND_STATUS", Map.of("backend", backend, "status", r.status(), "at", r.at().toString()));
            LOG.info("Ticket {}: back-end {} reports {}; kept apart, the ticket stays {}", r.ticketId(), backend, r.status(), t.status());
            Map<String, Object> apart = new LinkedHashMap<>();
            apart.put("ticketId", r.ticketId());
            apart.put("outcome", "RECORDED_FOR_BACKEND");
            apart.put("backend", backend);
            apart.put("status", t.status());
            return apart;
        }
        boolean stale = t.statusAt() != null && r.at().isBefore(t.statusAt());
        Optional<Long> id = statuses.insertOnce(r.ticketId(), r.status(), r.at(), r.reply(), r.handlingUnit(),
                r.satisfaction(), r.fingerprint(), stale ? "STALE" : "APPLIED");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ticketId", r.ticketId());
        if (id.isEmpty()) {
            result.put("outcome", "DUPLICATE");
            result.put("status", t.status());
            LOG.info("Status {} at {} for ticket {} was reported before; nothing changes", r.status(), r.at(), r.ticketId());
            return result;
        }
        if (stale) {
            tickets.addEvent(r.ticketId(), "STATUS_STALE", Map.of("status", r.status(), "at", r.at().toString(),
                    "current", t.status(), "currentAt", t.statusAt().toString()));
            result.put("outcome", "STALE");
            result.put("status", t.status());
            LOG.info("Status {} at {} for ticket {} is older than its current {} at {}; recorded, not applied",
                    r.status(), r.at(), r.ticketId(), t.status(), t.statusAt());
            return result;
        }
        t.body().put("status", r.status());
        if (r.satisfaction() != null) {
            t.body().put("satisfaction", r.satisfaction());
        }
        t.body().put("updatedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        tickets.update(r.ticketId(), t.body(), r.status(), r.at());
        tickets.addEvent(r.ticketId(), "STATUS_APPLIED", Map.of("status", r.status(), "at", r.at().toString(), "previous", t.status()));
        int queued = replies.enqueueForEveryOrigin(r.ticketId(), id.get());
        result.put("outcome", "APPLIED");
        result.put("status", r.status());
        result.put("repliesQueued", queued);
        LOG.info("Ticket {} is now {} (was {}); {} repl{} queued", r.ticketId(), r.status(), t.status(), queued, queued == 1 ? "y" : "ies");
        return result;
    }
}
