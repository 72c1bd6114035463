package city.hotline.hub.dispatch;

import java.time.Duration;
import java.time.Instant;

import city.hotline.hub.store.ForwardOutboxStore;
import city.hotline.hub.ticket.HubProperties;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The case system as the hub sees it: DOWN while forwarding attempts keep failing (connection
 * errors, timeouts, 5xx), with the backlog and the last error, so an operator knows whether tickets
 * are waiting and why.
 */
@Component("caseSystem")
public class CaseSystemHealth implements HealthIndicator {

    private final ForwardOutcome outcome;
    private final ForwardOutboxStore outbox;
    private final HubProperties props;

    public CaseSystemHealth(ForwardOutcome outcome, ForwardOutboxStore outbox, HubProperties props) {
        this.outcome = outcome;
        this.outbox = outbox;
        this.props = props;
    }

    @Override
    public Health health() {
        Health.Builder b = outcome.consecutiveFailures() == 0 ? Health.up() : Health.down();
        b.withDetail("mode", props.backends().caseSystem().mode())
                .withDetail("url", props.backends().caseSystem().url())
                .withDetail("pending", outbox.countPending(TicketUpdates.CASE_SYSTEM))
                .withDetail("consecutiveFailures", outcome.consecutiveFailures());
        outbox.oldestPending().ifPresent(t -> b.withDetail("oldestPendingSeconds", Duration.between(t, Instant.now()).toSeconds()));
        if (outcome.lastError() != null && outcome.consecutiveFailures() > 0) {
            b.withDetail("lastError", outcome.lastError());
        }
        if (outcome.lastSuccess() != null) {
            b.withDetail("lastDelivered", outcome.lastSuccess().toString());
        }
        return b.build();
    }
}
