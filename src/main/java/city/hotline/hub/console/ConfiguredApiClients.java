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
 * {@link ApiClients} from the configuration: {@code hub.api.keys} (comma separated) as client
 * {@code default} (admin, ops) and every {@code hub.api.clients.<name>} with its {@code keys},
 * {@code channels}, {@code admin} and {@code ops}. Read with Spring's {@link Binder} so the same
 * reading serves the start-up check of secrets (SecretsGuard), which runs before any bean exists.
 */
@Component
public class ConfiguredApiClients implements ApiClients {

    public static final String DEFAULT_CLIENT = "default";

    /** One client's configuration as bound from {@code hub.api.clients.<name>}. */
    public record ClientProperties(List<String> keys, List<String> channels, Boolean admin, Boolean ops) {
    }

    /** A configured key, with the property it came from (for messages that must name it). */
    public record ConfiguredKey(String property, String key, Client client) {
    }

    private final List<ConfiguredKey> keys;

    public ConfiguredApiClients(Environment env) {
        this.keys = read(Binder.get(env));
    }

    /** Every configured key, blank ones included (the start-up check refuses them). */
    public static List<ConfiguredKey> read(Binder binder) {
        List<ConfiguredKey> out = new ArrayList<>();
        Client defaultClient = new Client(DEFAULT_CLIENT, List.of(), true, true);
        List<String> legacy = binder.bind("hub.api.keys", Bindable.listOf(String.class)).orElse(List.of());
        for (String k : legacy) {
            out.add(new ConfiguredKey("hub.api.keys", k == null ? "" : k.trim(), defaultClient));
        }
        Map<String, ClientProperties> clients = binder.bind("hub.api.clients", Bindable.mapOf(String.class, ClientProperties.class))
                .orElse(new LinkedHashMap<>());
        clients.forEach((name, c) -> {
            Client client = new Client(name, c.channels() == null ? List.of() : List.copyOf(c.channels()),
                    Boolean.TRUE.equals(c.admin()), Boolean.TRUE.equals(c.ops()));
            List<String> ks = c.keys() == null ? List.of() : c.keys();
            if (ks.isEmpty()) {
                out.add(new ConfiguredKey("hub.api.clients." + name + ".keys", "", client));
            }
            for (String k : ks) {
                out.add(new ConfiguredKey("hub.api.clients." + name + ".keys", k == null ? "" : k.trim(), client));
            }
        });
        return out;
    }

    @Override
    public Optional<Client> byKey(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        byte[] given = key.getBytes(StandardCharsets.UTF_8);
        Client found = null;
        // no early exit: every key is compared, so the time taken does not tell which one matched
        for (ConfiguredKey k : keys) {
            if (!k.key().isEmpty() && MessageDigest.isEqual(k.key().getBytes(StandardCharsets.UTF_8), given) && found == null) {
                found = k.client();
            }
        }
        return Optional.ofNullable(found);
    }
}
