package city.hotline.hub.channel.generic;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.onboarding.ChannelMappings;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The connector bindings of the built-in channels (board), by the id of their Kamelet's polling route
 * (e.g. {@code board-poll}). They are made from the channel's own configuration keys
 * ({@code hub.channels.board.*}) and checked against the kind's schema like a file channel's binding; the
 * kinds' intake beans read their properties from here, a file channel's from its accepted binding.
 * Keyed by route, not by channel: one built-in channel may have several bindings (the board's API forums
 * and each scraped board).
 */
@Component
public class BuiltInBindings {

    /** Set by the kinds' Kamelets: the channel, and the Kamelet route's id. */
    public static final String CHANNEL = "hubChannel";
    public static final String ROUTE = "hubRoute";

    private final Map<String, ChannelBinding> byRoute = new ConcurrentHashMap<>();
    private final ChannelMappings files;

    public BuiltInBindings(ChannelMappings files) {
        this.files = files;
    }

    public void register(String routeId, ChannelBinding binding) {
        byRoute.put(routeId, binding);
    }

    public Optional<ChannelBinding> find(String routeId) {
        return routeId == null ? Optional.empty() : Optional.ofNullable(byRoute.get(routeId));
    }

    /** The binding an exchange of a kind's Kamelet runs for: a built-in one by its route, else the file channel's. */
    public ChannelBinding of(Exchange exchange) {
        Optional<ChannelBinding> builtIn = find(exchange.getProperty(ROUTE, String.class));
        if (builtIn.isPresent()) {
            return builtIn.get();
        }
        String channel = exchange.getProperty(CHANNEL, String.class);
        if (channel == null) {
            channel = exchange.getMessage().getHeader(CHANNEL, String.class);
        }
        String name = channel;
        return files.find(name).map(ChannelMappings.Accepted::binding)
                .orElseThrow(() -> new IllegalStateException("channel '" + name + "' is not running"));
    }
}
