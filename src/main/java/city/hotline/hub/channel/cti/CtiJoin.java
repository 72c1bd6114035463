package city.hotline.hub.channel.cti;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import city.hotline.hub.dispatch.TicketUpdates;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The join (route cti-join): a call part whose ticket exists is put on the ticket through
 * {@link TicketUpdates} (ticket row locked, version bumped, history entry, update for the case system
 * as {@code PUT {url}/tickets/{ticketId}}), and marked applied in the same transaction. Parts of one
 * call handled at once by two instances wait for each other on the ticket's row lock; a part whose
 * content is already on the ticket changes nothing and sends no update.
 */
@Component("ctiJoin")
public class CtiJoin {

    private static final Logger LOG = LoggerFactory.getLogger(CtiJoin.class);
    private static final Duration MAX_DELAY = Duration.ofMinutes(10);

    private final CtiCallPartStore parts;
    private final TicketUpdates updates;
    private final TransactionTemplate tx;

    public CtiJoin(CtiCallPartStore parts, TicketUpdates updates, TransactionTemplate tx) {
        this.parts = parts;
        this.updates = updates;
        this.tx = tx;
    }

    public void apply(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = exchange.getMessage().getBody(Map.class);
        long id = ((Number) row.get("id")).longValue();
        UUID token = (UUID) row.get("claim_token");
        String callId = (String) row.get("call_id");
        String kind = (String) row.get("kind");
        exchange.setProperty("ctiPartId", id);
        exchange.setProperty("ctiClaimToken", token);
        exchange.setProperty("ctiAttempts", ((Number) row.get("attempts")).intValue());
        ObjectNode part = Json.readObject((String) row.get("part"));
        tx.executeWithoutResult(s -> {
            String ticketId = parts.ticketOfCall(callId).orElseThrow(() -> new IllegalStateException("call " + callId + " has no ticket"));
            MDC.put("ticketId", ticketId);
            Optional<Integer> version = updates.apply(ticketId, "CALL_PART_ADDED",
                    Map.of("kind", kind, "callId", callId, "vendor", String.valueOf(row.get("vendor"))),
                    body -> new TicketUpdates.Change(CallParts.apply(body, part)));
            parts.markApplied(id, token, ticketId);
            if (version.isEmpty()) {
                LOG.info("CTI {} of call {} is on ticket {} already; nothing changed", kind, callId, ticketId);
            }
        });
        MDC.remove("ticketId");
    }

    /** From cti-join-errors: the part goes back with a growing delay (the database was away, say). */
    public void onException(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Long id = exchange.getProperty("ctiPartId", Long.class);
        if (id == null) {
            LOG.warn("CTI join failed before a part was read: {}", String.valueOf(e));
            return;
        }
        int attempts = exchange.getProperty("ctiAttempts", 0, Integer.class) + 1;
        long seconds = Math.min(MAX_DELAY.toSeconds(), 1L << Math.min(attempts, 20));
        parts.release(id, exchange.getProperty("ctiClaimToken", UUID.class), Instant.now().plusSeconds(seconds), String.valueOf(e));
        LOG.warn("CTI part {} not joined (attempt {}): {}; next attempt in {} s", id, attempts, e, seconds);
    }
}
