package city.hotline.hub.console;

import city.hotline.hub.store.ForwardOutboxStore;
import city.hotline.hub.store.QuarantineStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Gauges read from the database at scrape time: quarantine size and forwarding backlog. */
@Component
public class HubMetrics {
    public HubMetrics(MeterRegistry registry, QuarantineStore quarantine, ForwardOutboxStore outbox) {
        Gauge.builder("hub.quarantine.open", quarantine, q -> safely(q::countOpen))
                .description("quarantined items waiting for a replay").register(registry);
        Gauge.builder("hub.forward.pending", outbox, o -> safely(o::countPending))
                .description("tickets waiting to reach the case system").register(registry);
    }

    private static double safely(java.util.function.LongSupplier s) {
        try {
            return s.getAsLong();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
