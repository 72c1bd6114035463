package city.hotline.hub.store;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import city.hotline.hub.dedup.DedupProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * One run of the retention purge (route {@code retention-purge}, every {@code hub.retention.interval}):
 * for each kind of finished row, deletes batches of {@code hub.retention.batch-size} until a batch
 * comes back short. Batches are separate transactions, so intake and the outboxes keep writing
 * while it runs. Counted in {@code hub.retention.purged{table}}, one log line per run.
 * Safe on several instances at once: a row locked by one purge is skipped by the other.
 */
@Component
public class RetentionPurge {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);

    private final RetentionStore store;
    private final RetentionProperties props;
    private final MeterRegistry meters;

    private final DedupProperties dedup;

    public RetentionPurge(RetentionStore store, RetentionProperties props, MeterRegistry meters) {
        this(store, props, meters, DedupProperties.defaults());
    }

    /** @param dedup the near-duplicate index's window and margin: its entries go after {@link DedupProperties#indexRetention()} */
    @Autowired
    public RetentionPurge(RetentionStore store, RetentionProperties props, MeterRegistry meters, DedupProperties dedup) {
        this.store = store;
        this.props = props;
        this.meters = meters;
        this.dedup = dedup;
    }

    /** @return rows purged per kind in this run */
    public Map<RetentionStore.Kind, Integer> run() {
        Map<RetentionStore.Kind, Integer> purged = new EnumMap<>(RetentionStore.Kind.class);
        for (RetentionStore.Kind kind : RetentionStore.Kind.values()) {
            int n = purge(kind, retention(kind));
            purged.put(kind, n);
            meters.counter("hub.retention.purged", "table", kind.table()).increment(n);
        }
        LOG.info("Retention purge: inbox {} (DONE, older than {}), forward_outbox {} and reply_delivery {} (SENT, older than {}), "
                        + "replayed quarantine payloads {} (older than {}), near-duplicate index entries {} (older than {})",
                purged.get(RetentionStore.Kind.INBOX), age(props.inbox()), purged.get(RetentionStore.Kind.FORWARD_OUTBOX),
                purged.get(RetentionStore.Kind.REPLY_DELIVERY), age(props.outbox()), purged.get(RetentionStore.Kind.RAW_PAYLOAD),
                age(props.rawPayloads()), purged.get(RetentionStore.Kind.DEDUP_INDEX), age(dedup.indexRetention()));
        return purged;
    }

    private int purge(RetentionStore.Kind kind, Duration olderThan) {
        int total = 0;
        int n;
        do {
            n = store.purgeBatch(kind, olderThan, props.batchSize());
            total += n;
        } while (n == props.batchSize() && !Thread.currentThread().isInterrupted());
        return total;
    }

    private static String age(Duration d) {
        return d.toSeconds() % 86_400 == 0 ? d.toDays() + "d" : d.toString();
    }

    private Duration retention(RetentionStore.Kind kind) {
        return switch (kind) {
            case INBOX -> props.inbox();
            case FORWARD_OUTBOX, REPLY_DELIVERY -> props.outbox();
            case RAW_PAYLOAD -> props.rawPayloads();
            case DEDUP_INDEX -> dedup.indexRetention();
        };
    }
}
