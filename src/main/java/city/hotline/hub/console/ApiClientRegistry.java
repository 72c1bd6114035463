package city.hotline.hub.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The API's clients: {@code hub.api.clients.<name>.keys} (a list, so a key can be rotated: old and
 * new both work until the old one is removed), optional {@code channels} (the intake channels the
 * client may post to; empty: all), {@code admin} (sees every client's items and the channels that
 * do not come through the API) and {@code ops}. {@code hub.api.keys} stays valid as the client
 * {@code default}, with admin and ops. Keys are compared in constant time.
 */
@Component
public class ApiClientRegistry {

    public static final String DEFAULT = "default";
    /** The request attribute (and Camel header) carrying the authenticated client. */
    public static final String ATTRIBUTE = "hubApiClient";

    public record Client(String name, boolean admin, boolean ops, List<String> channels) {
        public boolean mayUse(String channel) {
            return channels == null || channels.isEmpty() || channels.contains(channel);
        }
    }

    /** One client as configured under hub.api.clients.<name>. */
    public record Settings(List<String> keys, List<String> channels, Boolean admin, Boolean ops) {
    }

    /** A configured key, with the property it came from (for messages that must name it). */
    public record ConfiguredKey(String property, String key, Client client) {
    }

    private final List<ConfiguredKey> keys;
    private final Map<String, Client> byName = new LinkedHashMap<>();

    public ApiClientRegistry(Environment env) {
        this.keys = read(Binder.get(env)).stream().filter(k -> !k.key().isEmpty()).toList();
        keys.forEach(k -> byName.putIfAbsent(k.client().name(), k.client()));
    }

    /**
     * Every configured key, blank ones included, read with Spring's {@link Binder}: the same reading
     * serves the start-up check of secrets ({@link SecretsGuard}), which runs before any bean exists.
     */
    public static List<ConfiguredKey> read(Binder binder) {
        List<ConfiguredKey> out = new ArrayList<>();
        Client byDefault = new Client(DEFAULT, true, true, List.of());
        for (String k : binder.bind("hub.api.keys", Bindable.listOf(String.class)).orElse(List.of())) {
            out.add(new ConfiguredKey("hub.api.keys", k == null ? "" : k.trim(), byDefault));
        }
        Map<String, Settings> clients = binder.bind("hub.api.clients", Bindable.mapOf(String.class, Settings.class)).orElse(Map.of());
        clients.forEach((name, s) -> {
            if (DEFAULT.equals(name)) {
                throw new IllegalStateException("hub.api.clients.default is reserved for hub.api.keys; choose another name");
            }
            Client client = new Client(name, Boolean.TRUE.equals(s.admin()), Boolean.TRUE.equals(s.ops()),
                    s.channels() == null ? List.of() : List.copyOf(s.channels()));
            List<String> ks = s.keys() == null || s.keys().isEmpty() ? java.util.Collections.singletonList("") : s.keys();
            for (String k : ks) {
                out.add(new ConfiguredKey("hub.api.clients." + name + ".keys", k == null ? "" : k.trim(), client));
            }
        });
        return out;
    }

    /** The client holding this key; every configured key is compared (constant time per key). */
    public Optional<Client> byKey(String given) {
        if (given == null) {
            return Optional.empty();
        }
        byte[] g = given.getBytes(StandardCharsets.UTF_8);
        Client found = null;
        // no early exit: every key is compared, so the time taken does not tell which one matched
        for (ConfiguredKey k : keys) {
            if (MessageDigest.isEqual(k.key().getBytes(StandardCharsets.UTF_8), g) && found == null) {
                found = k.client();
            }
        }
        return Optional.ofNullable(found);
    }

    public Optional<Client> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
