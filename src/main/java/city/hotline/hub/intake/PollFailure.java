package city.hotline.hub.intake;

import java.time.Instant;

/**
 * A poll of one source that did not go through. The kind says what the poller does next:
 * back off (growing delay), pause until a given time (the channel's rate-limit window), or stop
 * until someone re-authorises the channel. The source's cursor never moves on a failure.
 */
public class PollFailure extends Exception {

    public enum Kind { BACKOFF, PAUSE, REAUTHORISE }

    private final Kind kind;
    private final Instant until;

    private PollFailure(Kind kind, String message, Instant until) {
        super(message);
        this.kind = kind;
        this.until = until;
    }

    public static PollFailure backOff(String message) {
        return new PollFailure(Kind.BACKOFF, message, null);
    }

    public static PollFailure pauseUntil(Instant until, String message) {
        return new PollFailure(Kind.PAUSE, message, until);
    }

    public static PollFailure reauthorise(String message) {
        return new PollFailure(Kind.REAUTHORISE, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#PAUSE}: the first time the source may be polled again. */
    public Instant until() {
        return until;
    }
}
