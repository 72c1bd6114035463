package city.hotline.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

/** Which routes become leader-only: those named like a poller, and only if they would start at all. */
class LeaderOnlyRoutesTest {

    private final ClusterMembers members = ClusterMembers.parse("a", "a@127.0.0.1:7800");

    @Test
    void pollRoutesThatWouldStartGetTheClusteredPolicyAndOtherRoutesDoNot() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Properties p = new Properties();
            p.setProperty("board.enabled", "true");
            p.setProperty("weibo.enabled", "false");
            camel.getPropertiesComponent().setInitialProperties(p);
            LeaderOnlyRoutes routes = new LeaderOnlyRoutes(new CoordinatorClusterService(members), ClusterProperties.DEFAULT_ROUTES);

            assertThat(routes.createRoutePolicy(camel, "board-poll", route(camel, "board-poll", "{{board.enabled}}")))
                    .isInstanceOf(ClusteredRoutePolicy.class);
            assertThat(routes.createRoutePolicy(camel, "mailbox-poll", route(camel, "mailbox-poll", null)))
                    .as("a later polled channel, by its route's name").isInstanceOf(ClusteredRoutePolicy.class);
            assertThat(routes.createRoutePolicy(camel, "weibo-poll", route(camel, "weibo-poll", "{{weibo.enabled}}")))
                    .as("a channel that is off stays off").isNull();
            assertThat(routes.createRoutePolicy(camel, "inbox-to-ticket", route(camel, "inbox-to-ticket", null))).isNull();
        }
    }

    @Test
    void moreRoutesCanBeNamedInConfiguration() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            LeaderOnlyRoutes routes = new LeaderOnlyRoutes(new CoordinatorClusterService(members), "*-poll, national-sign");
            assertThat(routes.createRoutePolicy(camel, "national-sign", route(camel, "national-sign", null))).isNotNull();
        }
    }

    private static RouteDefinition route(ModelCamelContext camel, String id, String autoStartup) {
        RouteDefinition r = new RouteDefinition("scheduler:" + id).routeId(id);
        if (autoStartup != null) {
            r.autoStartup(autoStartup);
        }
        r.to("log:x");
        return r;
    }
}
