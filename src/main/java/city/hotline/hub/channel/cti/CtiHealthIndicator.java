package city.hotline.hub.channel.cti;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code cti}: the CDRs reported as orphans (no work order after
 * hub.channels.cti.orphan-after) that are still open, and the FreeSWITCH event socket's state
 * (connected, authenticated, subscribed; or disconnected while it reconnects). Orphans do not make the hub unhealthy: they
 * are the call centre's to resolve, not a fault of the hub.
 */
@Component("ctiHealthIndicator")
public class CtiHealthIndicator implements HealthIndicator {

    private final CtiProperties props;
    private final CtiCallPartStore parts;
    private final EslSession esl;

    public CtiHealthIndicator(CtiProperties props, CtiCallPartStore parts, EslSession esl) {
        this.props = props;
        this.parts = parts;
        this.esl = esl;
    }

    @Override
    public Health health() {
        if (!props.enabled()) {
            return Health.up().withDetail("enabled", false).build();
        }
        Health.Builder health = Health.up().withDetail("enabled", true).withDetail("vendor", props.vendor())
                .withDetail("orphanCallRecords", parts.openOrphans());
        if ("freeswitch".equalsIgnoreCase(props.vendor()) || esl.state() != EslSession.State.DISCONNECTED) {
            // SUBSCRIBED is the working state; DISCONNECTED while camel-netty reconnects; AUTH_REFUSED: wrong password
            health.withDetail("freeswitch", esl.state().name()).withDetail("freeswitchConnected",
                    esl.state() != EslSession.State.DISCONNECTED && esl.state() != EslSession.State.AUTH_REFUSED)
                    .withDetail("freeswitchSince", esl.since().toString());
        }
        return health.build();
    }
}
