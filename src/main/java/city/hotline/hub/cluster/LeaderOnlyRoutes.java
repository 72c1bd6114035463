package city.hotline.hub.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.CamelContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.PatternMatchUtils;

/**
 * Puts Camel's {@link ClusteredRoutePolicy} on every route whose id matches {@code hub.cluster.routes}
 * (default {@code *-poll}): such a route runs on the leader only and starts on another instance when
 * the leader is gone. A route policy chosen by id rather than a {@code master:} endpoint keeps the
 * routes' YAML the same with and without clustering, and a new polled channel gets it by naming its
 * polling route {@code <channel>-poll}.
 *
 * <p>Routes that would not start anyway ({@code autoStartup} false, e.g. a channel that is not
 * enabled) are left alone: the policy would otherwise start them on the leader.
 */
public class LeaderOnlyRoutes implements RoutePolicyFactory {

    /** One namespace for all pollers: they all follow the same leader. */
    public static final String NAMESPACE = "hub-pollers";

    private static final Logger LOG = LoggerFactory.getLogger(LeaderOnlyRoutes.class);

    private final CoordinatorClusterService service;
    // Spring's "*" globs (*-poll, board-*); Camel's PatternHelper takes "*" only at the end, else a regex
    private final String[] patterns;

    public LeaderOnlyRoutes(CoordinatorClusterService service, String routes) {
        this.service = service;
        this.patterns = routes.split("\\s*,\\s*");
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (!PatternMatchUtils.simpleMatch(patterns, routeId) || !autoStartup(camelContext, route)) {
            return null;
        }
        try {
            ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(service, NAMESPACE);
            policy.setCamelContext(camelContext);
            LOG.info("Route {} runs on the cluster's leader only (namespace {})", routeId, NAMESPACE);
            return policy;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make route " + routeId + " leader-only", e);
        }
    }

    private static boolean autoStartup(CamelContext camelContext, NamedNode route) {
        if (route instanceof RouteDefinition def && def.getAutoStartup() != null) {
            Boolean value = CamelContextHelper.parseBoolean(camelContext, def.getAutoStartup());
            return value == null || value;
        }
        return true;
    }
}
