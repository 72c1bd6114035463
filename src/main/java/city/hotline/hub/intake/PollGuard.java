package city.hotline.hub.intake;

import java.time.Duration;
import java.time.Instant;

import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.ticket.HubProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

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

    public PollGuard(PollCursorStore cursors, MeterRegistry meters) {
        this.cursors = cursors;
        this.meters = meters;
    }

    public Outcome poll(String channel, String source, HubProperties.Retry backoff, Work work) {
        PollCursorStore.Cursor cursor = cursors.get(channel, source);
        if (!cursor.due(Instant.now())) {
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
        int failures = cursors.failed(channel, source, f.getMessage());
        switch (f.kind()) {
            case PAUSE -> {
                cursors.pause(channel, source, f.until(), f.getMessage());
                count(channel, source, "paused");
                LOG.warn("{} {} paused until {}: {}", channel, source, f.until(), f.getMessage());
                return Outcome.FAILED;
            }
            case REAUTHORISE -> {
                count(channel, source, "reauthorise");
                LOG.error("{} {}: re-authorisation needed, polling stopped: {}", channel, source, f.getMessage());
                return Outcome.REAUTHORISE;
            }
            default -> {
                Duration delay = backoff.delayAfter(failures);
                cursors.pause(channel, source, Instant.now().plus(delay), "back-off after " + failures + " failed polls");
                count(channel, source, "backoff");
                LOG.warn("{} {} poll failed ({} in a row), next poll in {}: {}", channel, source, failures, delay, f.getMessage());
                return Outcome.FAILED;
            }
        }
    }

    private void count(String channel, String source, String outcome) {
        meters.counter("hub." + channel + ".polls", "source", source, "outcome", outcome).increment();
    }
}
