package city.hotline.hub.channel.weixin;

import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.intake.RawItemReplayer;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/** Reads a quarantined raw push ({query, body}) again with the current configuration and stores it. */
@Component
public class WeixinReplayer implements RawItemReplayer {

    private final WeixinProperties props;
    private final WeixinInbox inbox;

    public WeixinReplayer(WeixinProperties props, WeixinInbox inbox) {
        this.props = props;
        this.inbox = inbox;
    }

    @Override
    public String channel() {
        return WeixinInbox.CHANNEL;
    }

    @Override
    public void replay(QuarantineStore.Item item) {
        ObjectNode raw = Json.readObject(item.payload());
        Map<String, String> query = new LinkedHashMap<>();
        raw.path("query").fields().forEachRemaining(e -> query.put(e.getKey(), e.getValue().asText()));
        WeixinPushReader reader = new WeixinPushReader(new WeixinCrypto(props.token(), props.encodingAesKey(), props.appId()));
        WeixinMessage message;
        try {
            message = reader.read(query, raw.path("body").asText());
        } catch (WeixinPushReader.Rejected e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        inbox.store(props.appId(), message);
    }
}
