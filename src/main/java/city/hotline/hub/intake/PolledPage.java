package city.hotline.hub.intake;

import java.time.Instant;
import java.util.List;

/**
 * One page fetched from a polled source, newest first.
 *
 * @param items    readable items, in the order the source gave them
 * @param rejected items that could not be read (quarantined with their raw text)
 * @param next     where the next (older) page starts, or null when the source has no more
 */
public record PolledPage(List<Item> items, List<Rejected> rejected, String next) {

    /** Loads an item's payload; HTML boards fetch the detail page only for items the run takes. */
    @FunctionalInterface
    public interface PayloadLoader {
        String load() throws PollFailure;
    }

    /**
     * @param id     the source's ordered id (tid, Weibo id): the cursor compares these
     * @param itemId the channel item id of the ticket origin
     * @param time   when the citizen posted it (null if unknown); used for the first run's backfill
     */
    public record Item(long id, String itemId, Instant time, PayloadLoader payload) {
        public static Item of(long id, String itemId, Instant time, String payloadJson) {
            return new Item(id, itemId, time, () -> payloadJson);
        }
    }

    public record Rejected(String reason, String raw) {
    }

    public static PolledPage empty() {
        return new PolledPage(List.of(), List.of(), null);
    }
}
