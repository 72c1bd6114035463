package city.hotline.hub.channel.generic;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import city.hotline.hub.intake.CursorRun;
import city.hotline.hub.intake.PagedSource;
import city.hotline.hub.intake.PollGuard;
import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.ticket.HubProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * The paging of the poll kinds ({@code http-poll} with {@code paging: watermark}, {@code html-board}): every
 * source of a binding is read from its newest item down to its watermark (intake/CursorRun: the position of
 * an unfinished run is saved after every page, the watermark moves once the run caught up, the first run
 * reads back {@code backfill}), under its own back-off (intake/PollGuard: a failing source waits, growing
 * from {@code backoffInitial} by {@code backoffMultiplier} up to {@code maxBackoff}, the others go on), and
 * with a {@code tracker} its items still open are read again every {@code recheckInterval}. With a {@code hold}
 * (channel/generic/PollHold) no source is polled while the channel waits for re-authorisation.
 */
@Component
public class WatermarkPolls {

    /** One source of a binding: its poll_cursor row and its pages. */
    public record Source(String key, PagedSource pages) {
    }

    private final CursorRun runs;
    private final PollGuard guard;
    private final PollCursorStore cursors;
    private final ApplicationContext beans;

    public WatermarkPolls(CursorRun runs, PollGuard guard, PollCursorStore cursors, ApplicationContext beans) {
        this.runs = runs;
        this.guard = guard;
        this.cursors = cursors;
        this.beans = beans;
    }

    public void poll(ChannelBinding b, List<Source> sources) {
        PolledItemTracker tracker = tracker(b);
        if (tracker != null) {
            tracker.afterPoll();
        }
        PollHold hold = bean(b, "hold", PollHold.class);
        for (Source s : sources) {
            if (hold != null && hold.held()) {
                break;
            }
            PollGuard.Outcome outcome = poll(b, s, tracker);
            if (outcome == PollGuard.Outcome.REAUTHORISE && hold != null) {
                hold.reauthorisationNeeded(cursors.get(b.name(), s.key()).lastError());
            }
        }
        if (tracker != null) {
            tracker.afterPoll();
        }
    }

    private PollGuard.Outcome poll(ChannelBinding b, Source s, PolledItemTracker tracker) {
        String channel = b.name();
        int maxPages = Integer.parseInt(b.property("maxPages", "50"));
        CursorRun.AfterAccept after = tracker == null ? CursorRun.AfterAccept.NOTHING
                : (item, payload) -> tracker.accepted(s.key(), item, payload);
        return guard.poll(channel, s.key(), backoff(b), () -> {
            String backfill = b.property("backfill");
            Instant horizon = backfill == null ? null : Instant.now().minusSeconds(Long.parseLong(backfill));
            runs.run(channel, s.key(), s.pages(), new CursorRun.Options(horizon, maxPages), after);
            if (tracker != null && recheckDue(b, s.key())) {
                Set<Long> open = tracker.open(s.key());
                if (open.isEmpty()) {
                    cursors.recheckDone(channel, s.key());
                } else {
                    runs.recheck(channel, s.key(), s.pages(), Collections.min(open) - 1, open, maxPages, after);
                }
            }
        });
    }

    private boolean recheckDue(ChannelBinding b, String source) {
        long every = Long.parseLong(b.property("recheckInterval", "0"));
        if (every <= 0) {
            return false;
        }
        Instant last = cursors.get(b.name(), source).lastRecheckAt();
        return last == null || !last.plusMillis(every).isAfter(Instant.now());
    }

    static HubProperties.Retry backoff(ChannelBinding b) {
        long interval = Long.parseLong(b.property("interval", "60000"));
        return new HubProperties.Retry(Duration.ofMillis(Long.parseLong(b.property("backoffInitial", String.valueOf(interval)))),
                Double.parseDouble(b.property("backoffMultiplier", "2")),
                Duration.ofSeconds(Long.parseLong(b.property("maxBackoff", "3600"))), null, null);
    }

    private PolledItemTracker tracker(ChannelBinding b) {
        return bean(b, "tracker", PolledItemTracker.class);
    }

    private <T> T bean(ChannelBinding b, String property, Class<T> type) {
        String name = b.property(property);
        return name == null ? null : beans.getBean(name, type);
    }
}
