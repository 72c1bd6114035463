package city.hotline.hub.channel.cti;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code cti}: the CDRs reported as orphans (no work order after
 * hub.channels.cti.orphan-after) that are still open. Orphans do not make the hub unhealthy: they
 * are the call centre's to resolve, not a fault of the hub.
 */
@Component("ctiHealthIndicator")
public class CtiHealthIndicator implements HealthIndicator {

    private final CtiProperties props;
    private final CtiCallPartStore parts;

    public CtiHealthIndicator(CtiProperties props, CtiCallPartStore parts) {
        this.props = props;
        this.parts = parts;
    }

    @Override
    public Health health() {
        if (!props.enabled()) {
            return Health.up().withDetail("enabled", false).build();
        }
        return Health.up().withDetail("enabled", true).withDetail("vendor", props.vendor())
                .withDetail("orphanCallRecords", parts.openOrphans()).build();
    }
}
