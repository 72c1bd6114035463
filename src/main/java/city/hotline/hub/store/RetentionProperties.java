package city.hotline.hub.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.retention.*}: how long finished rows are kept before the purge deletes them.
 *
 * @param inbox       DONE inbox rows, counted from {@code processed_at}
 * @param outbox      SENT forward-outbox rows ({@code sent_at}) and SENT reply deliveries ({@code updated_at})
 * @param rawPayloads raw payloads of quarantined items that were replayed ({@code replayed_at})
 * @param batchSize   rows per delete; each batch is its own short transaction
 */
@ConfigurationProperties("hub.retention")
public record RetentionProperties(Duration inbox, Duration outbox, Duration rawPayloads, int batchSize) {

    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    public RetentionProperties {
        inbox = inbox == null ? THIRTY_DAYS : inbox;
        outbox = outbox == null ? THIRTY_DAYS : outbox;
        rawPayloads = rawPayloads == null ? THIRTY_DAYS : rawPayloads;
        batchSize = batchSize <= 0 ? 500 : batchSize;
    }
}
