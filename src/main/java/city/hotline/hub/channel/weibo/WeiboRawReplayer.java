package city.hotline.hub.channel.weibo;

import java.util.Map;

import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.intake.RawItemReplayer;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

/**
 * Replays what the Weibo poller quarantined (stage INTAKE): a single item, or a whole answer the
 * poller could not read; every readable item is stored in the inbox (identical ones are no-ops).
 */
@Component
public class WeiboRawReplayer implements RawItemReplayer {

    private final PolledIntake intake;
    private final WeiboSources sources;

    public WeiboRawReplayer(PolledIntake intake, WeiboSources sources) {
        this.intake = intake;
        this.sources = sources;
    }

    @Override
    public String channel() {
        return WeiboBindings.CHANNEL;
    }

    @Override
    public void replay(QuarantineStore.Item item) {
        String source = item.reason().contains(": ") ? item.reason().substring(0, item.reason().indexOf(": ")) : "replay";
        String kind = source.startsWith("comments") ? "comment" : "status";
        String[] skipped = WeiboSources.skippedRange(item.reason());
        if (skipped != null) {
            // a range the poller skipped after malformed answers: read it from Weibo again
            WeiboSources.Endpoint endpoint = WeiboSources.bySource(source);
            if (endpoint == null) {
                throw new IllegalArgumentException("unknown Weibo source " + source);
            }
            sources.reread(endpoint, "none".equals(skipped[0]) ? null : Long.valueOf(skipped[0]), skipped[1]);
            return;
        }
        JsonNode raw = Json.read(item.payload());
        JsonNode list = raw.has("statuses") ? raw.get("statuses") : raw.get("comments");
        if (list != null && list.isArray()) {
            String listKind = raw.has("comments") ? "comment" : "status";
            for (JsonNode node : list) {
                store(source, listKind, node);
            }
        } else {
            store(source, kind, raw);
        }
    }

    private void store(String source, String kind, JsonNode node) {
        Map<String, Object> normalised = WeiboPages.normalise(kind, node);
        intake.accept(channel(), source, (String) normalised.get("id"), Json.write(normalised));
    }
}
