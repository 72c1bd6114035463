package city.hotline.hub.intake;

import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

import city.hotline.hub.store.PollCursorStore;
import org.springframework.stereotype.Component;

/**
 * One incremental poll of a source: pages from the newest item down until it reaches the
 * watermark (or, on the first run, the backfill horizon), storing every new item in the inbox.
 * The watermark moves only when the run has caught up; after each stored page the run's position
 * is saved, so a run cut short (failure, stop, crash) resumes where it stopped: no gap, and
 * what was stored is not taken in again. Overlapping pages are harmless (ids seen in the run are
 * skipped, and the inbox ignores identical re-deliveries).
 */
@Component
public class CursorRun {

    /** What a channel does with an item after it is in the inbox (e.g. track a board thread). */
    @FunctionalInterface
    public interface AfterAccept {
        void accepted(PolledPage.Item item, String payload);

        AfterAccept NOTHING = (item, payload) -> { };
    }

    /**
     * @param horizon  first run only: items older than this are not taken in (null: no limit)
     * @param maxPages pages per poll; a longer run goes on at the next poll
     */
    public record Options(Instant horizon, int maxPages) {
    }

    private final PollCursorStore cursors;
    private final PolledIntake intake;

    public CursorRun(PollCursorStore cursors, PolledIntake intake) {
        this.cursors = cursors;
        this.intake = intake;
    }

    /** @return the number of items stored by this poll */
    public int run(String channel, String source, PagedSource pages, Options options, AfterAccept after) throws PollFailure {
        PollCursorStore.Cursor cursor = cursors.get(channel, source);
        Long floor = cursor.watermark();
        Instant horizon = floor == null ? options.horizon() : null;
        String resume = cursor.runResume();
        Long high = cursor.runHigh();
        Set<Long> seen = new HashSet<>();
        int stored = 0;
        for (int fetched = 1; ; fetched++) {
            PolledPage page = pages.fetch(resume);
            // a page whose items were all rejected is not the end: older unread items may follow, and
            // the watermark must not pass them
            boolean caughtUp = page.next() == null || Objects.equals(page.next(), resume);
            for (PolledPage.Item item : page.items()) {
                if (floor != null && item.id() <= floor
                        || horizon != null && item.time() != null && item.time().isBefore(horizon)) {
                    caughtUp = true;
                    continue;
                }
                if (!seen.add(item.id())) {
                    continue;
                }
                String payload = item.payload().load();
                if (intake.accept(channel, source, item.itemId(), payload)) {
                    stored++;
                }
                after.accepted(item, payload);
                high = high == null ? item.id() : Math.max(high, item.id());
            }
            page.rejected().forEach(r -> intake.reject(channel, source, r.reason(), r.raw()));
            if (caughtUp) {
                cursors.finishRun(channel, source, high);
                return stored;
            }
            resume = page.next();
            cursors.saveProgress(channel, source, high, resume);
            if (fetched >= options.maxPages()) {
                cursors.succeeded(channel, source);
                return stored;
            }
        }
    }

    /**
     * Reads the source again down to {@code floor} and takes in the current version of the
     * {@code wanted} items (threads still open): a changed state or a new reply becomes an update
     * of the existing ticket. Does not touch the watermark.
     */
    public int recheck(String channel, String source, PagedSource pages, long floor, Set<Long> wanted, int maxPages,
                       AfterAccept after) throws PollFailure {
        String resume = null;
        Set<Long> seen = new HashSet<>();
        int updated = 0;
        for (int fetched = 1; ; fetched++) {
            PolledPage page = pages.fetch(resume);
            boolean done = page.next() == null || page.items().isEmpty() || Objects.equals(page.next(), resume);
            for (PolledPage.Item item : page.items()) {
                if (item.id() <= floor) {
                    done = true;
                    continue;
                }
                if (!wanted.contains(item.id()) || !seen.add(item.id())) {
                    continue;
                }
                String payload = item.payload().load();
                if (intake.accept(channel, source, item.itemId(), payload)) {
                    updated++;
                }
                after.accepted(item, payload);
            }
            page.rejected().forEach(r -> intake.reject(channel, source, r.reason(), r.raw()));
            if (done || fetched >= maxPages) {
                cursors.recheckDone(channel, source);
                return updated;
            }
            resume = page.next();
        }
    }
}
