package city.hotline.hub.channel.board;

import java.time.Instant;
import java.util.Collections;
import java.util.Set;

import city.hotline.hub.intake.CursorRun;
import city.hotline.hub.intake.PagedSource;
import city.hotline.hub.intake.PollGuard;
import city.hotline.hub.store.PollCursorStore;
import org.springframework.stereotype.Component;

/**
 * One poll of every configured board source (API forums, then scraped boards), called by the
 * route {@code board-poll}. Each source has its own cursor, back-off and re-check of open threads;
 * one source failing never keeps the others from being polled.
 */
@Component("boardPoller")
public class BoardPoller {

    public static final String CHANNEL = "board";

    private final BoardProperties props;
    private final BoardSources sources;
    private final BoardThreads threads;
    private final CursorRun runs;
    private final PollGuard guard;
    private final PollCursorStore cursors;

    public BoardPoller(BoardProperties props, BoardSources sources, BoardThreads threads, CursorRun runs, PollGuard guard,
                       PollCursorStore cursors) {
        this.props = props;
        this.sources = sources;
        this.threads = threads;
        this.runs = runs;
        this.guard = guard;
        this.cursors = cursors;
    }

    public void poll() {
        threads.recordNewViews();
        for (String fid : props.forums()) {
            poll(forumSource(fid), sources.forum(fid));
        }
        props.htmlBoards().forEach((name, board) -> {
            if (board.enabled()) {
                poll(htmlSource(name), sources.html(name, board));
            }
        });
        threads.recordNewViews();
    }

    public static String forumSource(String fid) {
        return "fid:" + fid;
    }

    public static String htmlSource(String name) {
        return "html:" + name;
    }

    private void poll(String source, PagedSource pages) {
        guard.poll(CHANNEL, source, props.backoff(), () -> {
            CursorRun.Options options = new CursorRun.Options(Instant.now().minus(props.backfill()), props.maxPagesPerRun());
            runs.run(CHANNEL, source, pages, options, (item, payload) -> threads.track(source, item, payload));
            if (recheckDue(source)) {
                Set<Long> open = threads.openThreads(source);
                if (open.isEmpty()) {
                    cursors.recheckDone(CHANNEL, source);
                } else {
                    runs.recheck(CHANNEL, source, pages, Collections.min(open) - 1, open, props.maxPagesPerRun(),
                            (item, payload) -> threads.track(source, item, payload));
                }
            }
        });
    }

    private boolean recheckDue(String source) {
        Instant last = cursors.get(CHANNEL, source).lastRecheckAt();
        return last == null || !last.plus(props.recheckInterval()).isAfter(Instant.now());
    }
}
