package city.hotline.hub.console;

import java.util.List;
import java.util.Optional;

/**
 * The API's clients, looked up by the {@code X-Api-Key} they send. Configured as
 * {@code hub.api.clients.<name>.keys} (a list, so keys rotate), with optional {@code channels},
 * {@code admin} and {@code ops}; the keys of {@code hub.api.keys} are one client named
 * {@code default} with {@code admin} and {@code ops}.
 */
public interface ApiClients {

    /**
     * @param channels the channels this client may submit to; empty: every channel open on the API
     * @param admin    sees every client's items (and items of channels that do not come through the API)
     * @param ops      may read the operations endpoints (/actuator/** beyond the bare health status)
     */
    record Client(String name, List<String> channels, boolean admin, boolean ops) {
    }

    /** The client a key belongs to, compared in constant time against every configured key. */
    Optional<Client> byKey(String key);
}
