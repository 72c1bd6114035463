package city.hotline.hub.channel.weibo;

import java.time.Clock;

import city.hotline.hub.channel.generic.PageReader;
import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.store.QuarantineStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Weibo's mention answers for the {@code http-poll} kind ({@code reader: weiboPageReader}; the source is
 * {@code statuses} or {@code comments}, the list's name in the answer): WeiboPages reads ids, times and text and
 * turns error codes into pauses (10022–10024, until the next full hour or {@code rate-limit-pause}) and
 * re-authorisation stops (21327, 21314–21317, 21301). A malformed answer is quarantined with its raw text and
 * the source backs off; when an older page (not the newest) stays malformed for
 * {@code hub.channels.weibo.skip-malformed-after} polls in a row, the run ends there: the range below it
 * (since_id .. max_id) is recorded as a quarantine item that re-reads it when replayed (WeiboRawReplayer), and
 * the source goes on with newer mentions instead of stalling on that page for good.
 */
@Component("weiboPageReader")
public class WeiboPageReader implements PageReader {

    private static final Logger LOG = LoggerFactory.getLogger(WeiboPageReader.class);

    private final WeiboProperties props;
    private final PolledIntake intake;
    private final PollCursorStore cursors;
    private final QuarantineStore quarantine;
    private final int skipMalformedAfter;
    private final Clock clock = Clock.systemUTC();

    public WeiboPageReader(WeiboProperties props, PolledIntake intake, PollCursorStore cursors, QuarantineStore quarantine,
                           @Value("${hub.channels.weibo.skip-malformed-after:3}") int skipMalformedAfter) {
        this.props = props;
        this.intake = intake;
        this.cursors = cursors;
        this.quarantine = quarantine;
        this.skipMalformedAfter = Math.max(1, skipMalformedAfter);
    }

    @Override
    public PolledPage read(Request r, int status, String body) throws PollFailure {
        try {
            return WeiboPages.parse(r.source(), status, body, props.count(), props.rateLimitPause(), clock);
        } catch (WeiboPages.Malformed e) {
            String source = r.sourceKey();
            String range = WeiboSources.range(r.watermark(), r.cursor());
            intake.reject(WeiboBindings.CHANNEL, source, "malformed answer (" + range + "): " + e.getMessage(), body);
            PollCursorStore.Cursor cursor = cursors.get(WeiboBindings.CHANNEL, source);
            boolean again = cursor.lastError() != null && cursor.lastError().contains("malformed answer");
            if (r.cursor() != null && again && cursor.failures() + 1 >= skipMalformedAfter) {
                long id = quarantine.add(WeiboBindings.CHANNEL, QuarantineStore.Stage.INTAKE, null, null,
                        source + ": " + WeiboSources.SKIPPED + range + " after " + (cursor.failures() + 1)
                                + " malformed answers; replay re-reads it", body == null ? "" : body);
                LOG.error("Weibo {}: skipped the range {} after {} malformed answers (quarantine item {}); polling goes on",
                        source, range, cursor.failures() + 1, id);
                // no items and no next page: the run ends here and keeps what it stored above this page
                return PolledPage.empty();
            }
            throw PollFailure.backOff("malformed answer (quarantined): " + e.getMessage());
        }
    }
}
