package city.hotline.hub.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import city.hotline.hub.store.InboxStore;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.store.StorageErrors;
import city.hotline.hub.store.claim.ClaimLost;
import city.hotline.hub.ticket.HubProperties;
import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What becomes of an inbox item that could not be turned into a ticket:
 * <ul>
 * <li>bad data (mapping, ticket schema, a value the database refuses) is quarantined at once with
 *     its reason: another attempt would fail the same way;</li>
 * <li>an infrastructure failure (database away, pool exhausted, no transaction) gives the item back
 *     for a later attempt, however often: the item is not at fault;</li>
 * <li>anything else is tried {@code hub.intake.max-attempts} times, then quarantined, so no item is
 *     retried forever.</li>
 * </ul>
 * In every case the item's neighbours in its batch go on without it.
 */
@Component("inboxFailures")
public class InboxFailures {

    private static final Logger LOG = LoggerFactory.getLogger(InboxFailures.class);

    /** The facts about one claimed inbox row that its failure needs. */
    public record Item(long inboxId, UUID claimToken, int attempts, String channel, String channelItemId,
                       String ticketId, String rawPayload) {
    }

    private final InboxStore inbox;
    private final QuarantineStore quarantine;
    private final TransactionTemplate tx;
    private final HubProperties.Retry retry;
    private final int maxAttempts;

    public InboxFailures(InboxStore inbox, QuarantineStore quarantine, TransactionTemplate tx,
                         @Value("${hub.intake.retry.initial-delay:1s}") Duration initialDelay,
                         @Value("${hub.intake.retry.max-delay:1m}") Duration maxDelay,
                         @Value("${hub.intake.max-attempts:5}") int maxAttempts) {
        this.inbox = inbox;
        this.quarantine = quarantine;
        this.tx = tx;
        this.retry = new HubProperties.Retry(initialDelay, 2.0, maxDelay, null, null);
        this.maxAttempts = maxAttempts;
    }

    /** From the inbox stage's error handler (routes/error-handling.yaml), for one item of a batch. */
    public void onException(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Long inboxId = exchange.getProperty("hubInboxId", Long.class);
        if (inboxId == null) {
            // not one item: the batch step itself failed; its rows come back when their lease ends
            LOG.error("Inbox batch failed outside any one item; its rows are taken again after their lease", e);
            return;
        }
        onFailure(new Item(inboxId, exchange.getProperty("hubClaimToken", UUID.class),
                exchange.getProperty("hubAttempts", 0, Integer.class), exchange.getProperty("hubChannel", "unknown", String.class),
                exchange.getProperty("hubChannelItemId", String.class), exchange.getProperty("hubTicketId", String.class),
                exchange.getProperty("hubRawPayload", String.class)), e);
    }

    public void onFailure(Item item, Throwable e) {
        if (e instanceof ClaimLost) {
            LOG.warn("{} item {}: {}", item.channel(), item.channelItemId(), e.getMessage());
            return;
        }
        int attempts = item.attempts() + 1;
        // the reason may quote the value that failed (a NUL, a lone surrogate): storing it must not fail too
        String reason = city.hotline.hub.store.StorableText.of(reason(e), 4000);
        boolean infrastructure = StorageErrors.isInfrastructure(e);
        boolean badData = !infrastructure && (StorageErrors.isDataError(e) || isMappingFailure(e));
        if (badData || (!infrastructure && attempts >= maxAttempts)) {
            String why = badData ? reason : "gave up after " + attempts + " attempts; last error: " + reason;
            try {
                tx.executeWithoutResult(s -> {
                    inbox.markQuarantined(item.inboxId(), item.claimToken(), why);
                    quarantine.add(item.channel(), QuarantineStore.Stage.MAPPING, item.inboxId(), item.ticketId(), why, item.rawPayload());
                });
                LOG.error("{} item {} quarantined: {}", item.channel(), item.channelItemId(), why);
            } catch (RuntimeException q) {
                LOG.warn("{} item {} could not be quarantined now ({}); it is taken again after its lease", item.channel(),
                        item.channelItemId(), q.toString());
            }
            return;
        }
        Duration delay = retry.delayAfter(attempts);
        try {
            inbox.release(item.inboxId(), item.claimToken(), Instant.now().plus(delay), reason);
        } catch (RuntimeException r) {
            // the database is still away: the row stays claimed and is taken again when the lease ends
            LOG.debug("release failed", r);
        }
        LOG.warn("{} item {} stays pending (attempt {}{}): {}; next attempt in {}", item.channel(), item.channelItemId(), attempts,
                infrastructure ? ", infrastructure" : " of " + maxAttempts, reason, delay);
    }

    /** The mapping, the ticket schema or the item's JSON failed: the item itself is at fault. */
    private static boolean isMappingFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonValidationException || t instanceof city.hotline.hub.ticket.PermanentFailure
                    || t instanceof IllegalArgumentException || t instanceof com.fasterxml.jackson.core.JacksonException
                    || t.getClass().getName().startsWith("com.dashjoin.jsonata")) {
                return true;
            }
        }
        return false;
    }

    static String reason(Throwable e) {
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
