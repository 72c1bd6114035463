package city.hotline.hub.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.store.ForwardOutboxStore;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/backends/<name>}: each back-end on its own, DOWN while its deliveries keep
 * failing or its circuit breaker is open, with its backlog, its stuck tickets and its last error; and
 * the dispatch rules' last refused reload, if any.
 */
@Component("backends")
public class BackendsHealth implements CompositeHealthContributor {

    private final Map<String, HealthContributor> contributors = new LinkedHashMap<>();

    public BackendsHealth(BackendsProperties props, ForwardOutcome outcome, ForwardOutboxStore outbox, StuckTickets stuck,
                          Dispatcher dispatcher, org.springframework.core.env.Environment environment) {
        props.backends().forEach((name, b) -> contributors.put(name, (HealthIndicator) () -> {
            ForwardOutcome.BackendState s = outcome.state(name);
            boolean up = s.consecutiveFailures() == 0 && !"OPEN".equals(s.circuit());
            Health.Builder h = up ? Health.up() : Health.down();
            h.withDetail("mode", b.mode()).withDetail("circuit", s.circuit())
                    .withDetail("pending", outbox.countPending(name))
                    .withDetail("stuck", stuck.stuck(name))
                    .withDetail("consecutiveFailures", s.consecutiveFailures());
            if (b.url() != null) {
                h.withDetail("url", environment.resolvePlaceholders(b.url()));
            }
            if (s.lastError() != null && s.consecutiveFailures() > 0) {
                h.withDetail("lastError", s.lastError());
            }
            if (s.lastSuccess() != null) {
                h.withDetail("lastDelivered", s.lastSuccess().toString());
            }
            return h.build();
        }));
        contributors.put("dispatch-rules", (HealthIndicator) () -> {
            // a refused reload leaves the rules in force working: shown, not DOWN
            Health.Builder h = Health.up().withDetail("file", dispatcher.rules().location()).withDetail("rules", dispatcher.rules().size());
            if (dispatcher.lastProblem() != null) {
                h.withDetail("refusedReload", dispatcher.lastProblem());
            }
            return h.build();
        });
    }

    @Override
    public HealthContributor getContributor(String name) {
        return contributors.get(name);
    }

    @Override
    public java.util.Iterator<NamedContributor<HealthContributor>> iterator() {
        return contributors.entrySet().stream().map(e -> NamedContributor.of(e.getKey(), e.getValue())).iterator();
    }
}
