package city.hotline.hub.channel.weibo;

import city.hotline.hub.intake.CursorRun;
import city.hotline.hub.intake.PollGuard;
import city.hotline.hub.store.PollCursorStore;
import org.springframework.stereotype.Component;

/**
 * One poll of both mention endpoints, called by the route {@code weibo-poll}. Each endpoint has
 * its own {@code since_id} cursor and its own rate-limit pause; a token error stops all polling
 * (health DOWN "re-authorisation needed") until a new token is given, with the cursors untouched.
 */
@Component("weiboPoller")
public class WeiboPoller {

    public static final String CHANNEL = "weibo";

    private final WeiboProperties props;
    private final WeiboSources sources;
    private final WeiboAuth auth;
    private final CursorRun runs;
    private final PollGuard guard;
    private final PollCursorStore cursors;

    public WeiboPoller(WeiboProperties props, WeiboSources sources, WeiboAuth auth, CursorRun runs, PollGuard guard,
                       PollCursorStore cursors) {
        this.props = props;
        this.sources = sources;
        this.auth = auth;
        this.runs = runs;
        this.guard = guard;
        this.cursors = cursors;
    }

    public void poll() {
        for (WeiboSources.Endpoint endpoint : WeiboSources.Endpoint.values()) {
            if (auth.reauthorisation() != null) {
                return;
            }
            PollGuard.Outcome outcome = guard.poll(CHANNEL, endpoint.source(), props.backoff(), () -> {
                Long since = cursors.get(CHANNEL, endpoint.source()).watermark();
                runs.run(CHANNEL, endpoint.source(), sources.endpoint(endpoint, since),
                        new CursorRun.Options(null, props.maxPagesPerRun()), CursorRun.AfterAccept.NOTHING);
            });
            if (outcome == PollGuard.Outcome.REAUTHORISE) {
                auth.reauthorisationNeeded(cursors.get(CHANNEL, endpoint.source()).lastError());
            }
        }
    }
}
