package city.hotline.hub.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import city.hotline.hub.store.TicketBackendStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tickets dispatched to a back-end that has not acknowledged them (a 2xx to the HTTP creation, or its
 * first status report) within {@code hub.dispatch.ack-within} (default 5 minutes: Beijing's hotline
 * dispatches within 5 minutes of the call). Gauge {@code hub.dispatch.stuck{backend}} (Prometheus
 * {@code hub_dispatch_stuck}) and the back-end's health. Counted in the database, so every instance
 * shows the same figure; the count is kept for a few seconds so scrapes and health share one query.
 */
@Component
public class StuckTickets {

    private static final Logger LOG = LoggerFactory.getLogger(StuckTickets.class);
    private static final Duration FRESH = Duration.ofSeconds(2);

    private record Snapshot(Instant at, Map<String, Long> counts) {
    }

    private final TicketBackendStore holders;
    private final Duration ackWithin;
    private final AtomicReference<Snapshot> last = new AtomicReference<>(new Snapshot(Instant.EPOCH, Map.of()));

    public StuckTickets(TicketBackendStore holders, BackendsProperties props, MeterRegistry meters) {
        this.holders = holders;
        this.ackWithin = props.dispatch().ackWithin();
        props.backends().keySet().forEach(name -> Gauge.builder("hub.dispatch.stuck", () -> stuck(name))
                .description("tickets dispatched to the back-end and not acknowledged within hub.dispatch.ack-within")
                .tag("backend", name).register(meters));
    }

    public long stuck(String backend) {
        Snapshot s = last.get();
        if (s.at().plus(FRESH).isBefore(Instant.now())) {
            try {
                s = new Snapshot(Instant.now(), holders.stuck(ackWithin));
                last.set(s);
            } catch (RuntimeException e) {
                LOG.warn("Stuck tickets could not be counted: {}", e.toString());
            }
        }
        return s.counts().getOrDefault(backend, 0L);
    }

    public Duration ackWithin() {
        return ackWithin;
    }
}
