package city.hotline.hub.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.cluster.*}: whether this instance coordinates its pollers with others, its own node id,
 * and every member as {@code nodeId@host:port,...} (its own entry included). Checked at start-up by
 * {@link ClusterMembers}.
 *
 * @param routes ids of the routes that run on one instance at a time, comma separated, {@code *} as
 *               wildcard (default {@code *-poll})
 */
@ConfigurationProperties("hub.cluster")
public record ClusterProperties(boolean enabled, String nodeId, String members, String routes) {

    public static final String DEFAULT_ROUTES = "*-poll";

    public String routes() {
        return routes == null || routes.isBlank() ? DEFAULT_ROUTES : routes;
    }
}
