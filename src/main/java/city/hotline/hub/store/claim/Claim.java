package city.hotline.hub.store.claim;

import java.time.Duration;
import java.util.UUID;

/**
 * One claim on rows: the instance that holds it, a token unique to this claim, and how long it holds.
 * A row's later state change is conditional on the token, so a row whose lease ran out and was
 * claimed again cannot be marked done by the first claimer too.
 */
public record Claim(String owner, UUID token, Duration lease) {

    public static Claim next(String owner, Duration lease) {
        return new Claim(owner, UUID.randomUUID(), lease);
    }

    public long leaseMillis() {
        return lease.toMillis();
    }
}
