package city.hotline.hub.channel.cti;

import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * CDRs that waited longer than {@code hub.channels.cti.orphan-after} (24 h) for the agent's work order
 * (route cti-orphans-poll): each is reported once, as a WARN line, on the counter
 * {@code hub.cti.orphans} and in health (details of {@code cti}); it is not ticketed. Should its work
 * order come after all, the CDR still joins the ticket.
 */
@Component("ctiOrphans")
public class CtiOrphans {

    private static final Logger LOG = LoggerFactory.getLogger(CtiOrphans.class);

    private final CtiCallPartStore parts;
    private final CtiProperties props;
    private final MeterRegistry meters;

    public CtiOrphans(CtiCallPartStore parts, CtiProperties props, MeterRegistry meters) {
        this.parts = parts;
        this.props = props;
        this.meters = meters;
    }

    /**
     * What route cti-orphans-poll calls: the CDRs older than {@code orphan-after}. Not an overload of
     * {@link #report(Instant)}: given a bare {@code report}, Camel's bean binding chose that one and passed
     * the (empty) message body as its cutoff.
     */
    public int reportOverdue() {
        return report(Instant.now().minus(props.orphanAfter()));
    }

    /** Reports the CDRs received before {@code cutoff} that still have no work order. */
    public int report(Instant cutoff) {
        List<String> calls = parts.reportOrphans(cutoff);
        for (String callId : calls) {
            meters.counter("hub.cti.orphans").increment();
            LOG.warn("CTI call {} has a call record but no work order after {}; reported, not ticketed", callId, props.orphanAfter());
        }
        return calls.size();
    }
}
