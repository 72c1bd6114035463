package city.hotline.hub.intake;

import city.hotline.hub.store.InboxStore;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.ticket.Hashing;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where polled items enter the hub: readable items go to the inbox (committed before the cursor
 * moves past them; an identical re-fetch is a no-op there), unreadable ones to the quarantine
 * (stage INTAKE, raw text kept, once per distinct raw text).
 */
@Component
public class PolledIntake {

    private static final Logger LOG = LoggerFactory.getLogger(PolledIntake.class);

    private final InboxStore inbox;
    private final QuarantineStore quarantine;
    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;

    public PolledIntake(InboxStore inbox, QuarantineStore quarantine, JdbcTemplate jdbc, MeterRegistry meters) {
        this.inbox = inbox;
        this.quarantine = quarantine;
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /** @return true when the item (or this version of it) is new to the hub */
    public boolean accept(String channel, String source, String itemId, String payload) {
        InboxStore.Receipt receipt = inbox.accept(channel, itemId, payload);
        meters.counter("hub." + channel + ".items", "source", source, "outcome", receipt.duplicate() ? "duplicate" : "accepted").increment();
        if (!receipt.duplicate()) {
            LOG.info("Polled {} item {} from {} stored in the inbox", channel, itemId, source);
        }
        return !receipt.duplicate();
    }

    /** Quarantines a raw item the poller cannot read; the same raw text seen again is not added twice. */
    public void reject(String channel, String source, String reason, String raw) {
        String text = raw == null ? "" : raw;
        String sha = Hashing.sha256Hex(text);
        Integer seen = jdbc.queryForObject("SELECT count(*) FROM poll_rejected WHERE channel = ? AND raw_sha256 = ?",
                Integer.class, channel, sha);
        if (seen != null && seen > 0) {
            return;
        }
        long id = quarantine.add(channel, QuarantineStore.Stage.INTAKE, null, null, source + ": " + reason, text);
        jdbc.update("INSERT INTO poll_rejected (channel, raw_sha256, quarantine_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                channel, sha, id);
        meters.counter("hub." + channel + ".items", "source", source, "outcome", "quarantined").increment();
        LOG.warn("Unreadable {} item from {} quarantined as {}: {}", channel, source, id, reason);
    }
}
