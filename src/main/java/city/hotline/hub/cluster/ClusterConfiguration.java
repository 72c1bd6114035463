package city.hotline.hub.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Several hub instances on one database and broker: the polled channels' routes run on one of them at
 * a time (docs/cluster.md). Only with {@code hub.cluster.enabled=true}; without it no
 * cluster service exists, no policy is applied, and every poller runs as on a single instance.
 *
 * <p>Its own package rather than {@code intake}: it decides where routes run, by route id, whatever
 * the stage, and knows nothing about polling itself. Camel picks the two beans up from the registry
 * (the cluster service as a context service, the factory as a route policy factory).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.cluster.enabled", havingValue = "true")
public class ClusterConfiguration {

    @Bean
    ClusterMembers clusterMembers(ClusterProperties properties) {
        return ClusterMembers.parse(properties.nodeId(), properties.members());
    }

    @Bean
    CoordinatorClusterService clusterService(ClusterMembers members) {
        return new CoordinatorClusterService(members);
    }

    @Bean
    LeaderOnlyRoutes leaderOnlyRoutes(CoordinatorClusterService service, ClusterProperties properties) {
        return new LeaderOnlyRoutes(service, properties.routes());
    }

    /** {@code hub_cluster_leader}: 1 on the instance running the pollers, 0 on the others. */
    @Bean
    MeterBinder clusterLeaderGauge(CoordinatorClusterService service) {
        return registry -> Gauge.builder("hub.cluster.leader", service, s -> s.isLocalLeader() ? 1 : 0)
                .description("1 while this instance leads the cluster and runs the polled channels").register(registry);
    }

    /** {@code /actuator/health} component {@code cluster}: this node, the leader and the members in view. */
    @Bean("clusterHealthIndicator")
    HealthIndicator clusterHealth(CoordinatorClusterService service) {
        return () -> {
            Health.Builder h = service.leaderId().isPresent() ? Health.up() : Health.unknown();
            return h.withDetail("nodeId", service.localId())
                    .withDetail("leader", service.isLocalLeader())
                    .withDetail("leaderId", service.leaderId().orElse(""))
                    .withDetail("members", service.memberIds())
                    .build();
        };
    }
}
