package city.hotline.hub.intake;

import city.hotline.hub.store.InboxStore;
import city.hotline.hub.store.QuarantineStore;
import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** An accepted item whose mapping or ticket validation failed: quarantined with the reason, replayable. */
@Component("inboxQuarantine")
public class InboxQuarantine {

    private static final Logger LOG = LoggerFactory.getLogger(InboxQuarantine.class);

    private final InboxStore inbox;
    private final QuarantineStore quarantine;
    private final TransactionTemplate tx;

    public InboxQuarantine(InboxStore inbox, QuarantineStore quarantine, TransactionTemplate tx) {
        this.inbox = inbox;
        this.quarantine = quarantine;
        this.tx = tx;
    }

    public void quarantine(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Long inboxId = exchange.getProperty("hubInboxId", Long.class);
        if (inboxId == null) {
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> row = exchange.getMessage().getBody(java.util.Map.class);
            inboxId = row == null ? null : ((Number) row.get("id")).longValue();
        }
        String channel = exchange.getProperty("hubChannel", "unknown", String.class);
        String reason = reason(e);
        String payload = exchange.getProperty("hubRawPayload", String.class);
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        long id = inboxId;
        tx.executeWithoutResult(s -> {
            inbox.markQuarantined(id);
            quarantine.add(channel, QuarantineStore.Stage.MAPPING, id, ticketId, reason, payload);
        });
        LOG.error("{} item {} quarantined: {}", channel, exchange.getProperty("hubChannelItemId"), reason);
    }

    static String reason(Exception e) {
        if (e == null) {
            return "unknown error";
        }
        if (e instanceof JsonValidationException v) {
            StringBuilder sb = new StringBuilder("ticket does not match mappings/ticket.schema.json: ");
            v.getErrors().stream().map(Object::toString).sorted().forEach(m -> sb.append(m).append("; "));
            return sb.substring(0, sb.length() - 2);
        }
        String kind = e.getClass().getName().startsWith("com.dashjoin.jsonata") ? "mapping failed: " : "";
        return kind + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
