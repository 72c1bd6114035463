package city.hotline.hub.channel.national;

import java.util.ArrayList;
import java.util.List;

import city.hotline.hub.intake.RawItemReplayer;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

/**
 * Replays a national item quarantined at intake ({@code POST /api/v1/quarantine/{id}/replay}): a case
 * without a usable case number, or a whole page that was not {@code {"cases": [...]}}, once the raw text
 * has been corrected. Every case must now be readable, or nothing is stored.
 */
@Component
public class NationalRawReplayer implements RawItemReplayer {

    private final NationalPoller poller;

    public NationalRawReplayer(NationalPoller poller) {
        this.poller = poller;
    }

    @Override
    public String channel() {
        return NationalPoller.CHANNEL;
    }

    @Override
    public void replay(QuarantineStore.Item item) {
        JsonNode raw = Json.read(item.payload() == null ? "" : item.payload());
        List<JsonNode> cases = new ArrayList<>();
        if (raw != null && raw.isObject() && raw.path("cases").isArray()) {
            raw.get("cases").forEach(cases::add);
        } else if (raw != null && raw.isObject()) {
            cases.add(raw);
        } else {
            throw new IllegalArgumentException("neither a case nor a page of cases");
        }
        for (JsonNode c : cases) {
            String problem = poller.problem(c);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        for (JsonNode c : cases) {
            poller.store(c.get(poller.idField()).asText().strip(), c);
        }
    }
}
