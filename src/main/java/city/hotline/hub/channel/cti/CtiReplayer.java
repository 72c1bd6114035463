package city.hotline.hub.channel.cti;

import java.util.LinkedHashMap;

import city.hotline.hub.intake.RawItemReplayer;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

/**
 * Replays a quarantined phone-channel push ({@code POST /api/v1/quarantine/{id}/replay}) through the
 * same steps as when it arrived (route cti-replay: format, vendor mapping, store), after its cause was
 * fixed (a mapping corrected, say). It was verified when it came; it is not verified again.
 */
@Component
public class CtiReplayer implements RawItemReplayer {

    private final CamelContext camel;
    private final ProducerTemplate template;

    public CtiReplayer(CamelContext camel, ProducerTemplate template) {
        this.camel = camel;
        this.template = template;
    }

    @Override
    public String channel() {
        return CtiIntake.CHANNEL;
    }

    @Override
    public void replay(QuarantineStore.Item item) {
        JsonNode raw;
        try {
            raw = Json.read(item.payload());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the quarantined item is not a CTI push record: " + e.getMessage());
        }
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(CtiIntake.VERIFIED, true);
        exchange.setProperty(CtiIntake.RAW, raw.path("body").asText(""));
        if ("freeswitch".equals(raw.path("source").asText())) {
            EslFrame frame = new EslFrame(new LinkedHashMap<>(java.util.Map.of("Content-Type", raw.path("contentType").asText(""))),
                    raw.path("body").asText(""));
            java.util.Map<String, String> event = EslEvents.parse(frame);
            if (event == null) {
                throw new IllegalArgumentException("not an event frame: " + frame.contentType());
            }
            exchange.setProperty(CtiIntake.MAPPING, "cti-freeswitch.jsonata");
            exchange.getMessage().setBody(Json.write(event));
        } else {
            exchange.setProperty("ctiAction", raw.path("action").isTextual() ? raw.path("action").asText() : null);
            exchange.setProperty("ctiWorkOrder", raw.path("path").asText("").contains("/work-orders"));
            exchange.getMessage().setBody(raw.path("body").asText(""));
        }
        Exchange done = template.send("direct:cti-replay", exchange);
        if (done.getException() != null) {
            throw new IllegalArgumentException(done.getException().getMessage(), done.getException());
        }
    }
}
