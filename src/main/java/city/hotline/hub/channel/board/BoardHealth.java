package city.hotline.hub.channel.board;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.store.PollCursorStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The board channel for operators: per source its watermark, whether it is backing off (and
 * why, until when), and when it last polled fine. DOWN only when every source is failing.
 */
@Component("board")
public class BoardHealth implements HealthIndicator {

    private final BoardProperties props;
    private final PollCursorStore cursors;

    public BoardHealth(BoardProperties props, PollCursorStore cursors) {
        this.props = props;
        this.cursors = cursors;
    }

    @Override
    public Health health() {
        if (!props.enabled()) {
            return Health.unknown().withDetail("enabled", false).build();
        }
        List<PollCursorStore.Cursor> all = cursors.all(BoardBindings.CHANNEL);
        Map<String, Object> sources = new LinkedHashMap<>();
        long failing = 0;
        for (PollCursorStore.Cursor c : all) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("watermark", c.watermark() == null ? "none yet (first run)" : String.valueOf(c.watermark()));
            if (c.runResume() != null) {
                d.put("unfinishedRunResumesAt", c.runResume());
            }
            if (c.failures() > 0) {
                failing++;
                d.put("consecutiveFailures", c.failures());
                d.put("lastError", c.lastError());
                d.put("nextPollAt", String.valueOf(c.nextPollAt()));
            }
            if (c.lastSuccessAt() != null) {
                d.put("lastSuccess", c.lastSuccessAt().toString());
            }
            sources.put(c.source(), d);
        }
        Health.Builder b = !all.isEmpty() && failing == all.size() ? Health.down() : Health.up();
        return b.withDetail("sources", sources).withDetail("backingOff", failing).build();
    }
}
