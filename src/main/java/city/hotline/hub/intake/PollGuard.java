package city.hotline.hub.intake;

import java.time.Instant;

import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.ticket.HubProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one poll of one source so that its failure stays its own: a source that is backing off or
 * paused is skipped, a failure pauses only this source (growing back-off, or the pause the channel
 * asked for), and no exception reaches the other sources or the scheduler.
 */
@Component
public class PollGuard {

    private static final Logger LOG = LoggerFactory.getLogger(PollGuard.class);

    public enum Outcome { POLLED, SKIPPED, FAILED, REAUTHORISE }

    @FunctionalInterface
    public interface Work {
        void run() throws PollFailure;
    }

    private final PollCursorStore cursors;
    private final MeterRegistry meters;
    private final TransactionTemplate tx;

    public PollGuard(PollCursorStore cursors, MeterRegistry meters, TransactionTemplate tx) {
        this.cursors = cursors;
        this.meters = meters;
        this.tx = tx;
    }

    public Outcome poll(String channel, String source, HubProperties.Retry backoff, Work work) {
        PollCursorStore.Cursor cursor = cursors.get(channel, source);
        // paused by an operator in the console, for every instance (table channel_pause)
        if (!cursor.due(Instant.now()) || cursors.channelPaused(channel)) {
            return Outcome.SKIPPED;
        }
        try {
            work.run();
            count(channel, source, "ok");
            return Outcome.POLLED;
        } catch (PollFailure f) {
            return failed(channel, source, backoff, f);
        } catch (RuntimeException e) {
            return failed(channel, source, backoff, PollFailure.backOff(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private Outcome failed(String channel, String source, HubProperties.Retry backoff, PollFailure f) {
        // failure count and pause change together, so health and tests never see one without the other
        Instant until = tx.execute(status -> {
            int failures = cursors.failed(channel, source, f.getMessage());
            Instant next = switch (f.kind()) {
                case PAUSE -> f.until();
                case REAUTHORISE -> null;
                case BACKOFF -> Instant.now().plus(backoff.delayAfter(failures));
            };
            if (next != null) {
                cursors.pause(channel, source, next, f.kind() == PollFailure.Kind.PAUSE ? f.getMessage()
                        : "back-off after " + failures + " failed polls");
            }
            return next;
        });
        switch (f.kind()) {
            case PAUSE -> {
                count(channel, source, "paused");
                LOG.warn("{} {} paused until {}: {}", channel, source, until, f.getMessage());
                return Outcome.FAILED;
            }
            case REAUTHORISE -> {
                count(channel, source, "reauthorise");
                LOG.error("{} {}: re-authorisation needed, polling stopped: {}", channel, source, f.getMessage());
                return Outcome.REAUTHORISE;
            }
            default -> {
                count(channel, source, "backoff");
                LOG.warn("{} {} poll failed, next poll at {}: {}", channel, source, until, f.getMessage());
                return Outcome.FAILED;
            }
        }
    }

    private void count(String channel, String source, String outcome) {
        meters.counter("hub." + channel + ".polls", "source", source, "outcome", outcome).increment();
    }
}
