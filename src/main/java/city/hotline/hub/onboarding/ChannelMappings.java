package city.hotline.hub.onboarding;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The mappings of channels defined by files, by channel name: what {@code intake/InboxItems} uses for
 * a channel that {@code hub.intake.channels} does not name, so a file channel needs no
 * {@code application.yml} entry. Each entry points at the accepted copy of the mapping
 * ({@link ChannelDirectory} writes it under a name made of its content's hash), so a later broken
 * edit of the file never reaches the routes, and a cached compiled mapping is never stale.
 */
@Component("channelMappings")
public class ChannelMappings {

    /** One accepted mapping: the {@code jsonata:} resource URI, its text and the file it came from. */
    public record Accepted(String channel, String uri, String text, String file, ChannelBinding binding) {
    }

    private final Map<String, Accepted> byChannel = new ConcurrentHashMap<>();

    public Optional<Accepted> find(String channel) {
        return channel == null ? Optional.empty() : Optional.ofNullable(byChannel.get(channel));
    }

    /** The mapping resource URI for a channel, or null when no file channel of that name is running. */
    public String uriFor(String channel) {
        return find(channel).map(Accepted::uri).orElse(null);
    }

    void put(Accepted accepted) {
        byChannel.put(accepted.channel(), accepted);
    }

    void remove(String channel) {
        byChannel.remove(channel);
    }

    public java.util.Set<String> channels() {
        return java.util.Set.copyOf(byChannel.keySet());
    }
}
