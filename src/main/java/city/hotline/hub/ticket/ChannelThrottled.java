package city.hotline.hub.ticket;

import java.time.Instant;

/**
 * A channel refuses more calls until a known time (a per-minute or per-day quota): the work waits
 * until then without counting as a failed attempt, and without retrying earlier.
 */
public class ChannelThrottled extends TransientFailure {
    private final Instant until;

    public ChannelThrottled(String message, Instant until) {
        super(message);
        this.until = until;
    }

    public Instant until() {
        return until;
    }
}
