package city.hotline.hub.console;

import java.util.Map;

import city.hotline.hub.intake.RawItemReplayer;
import city.hotline.hub.relay.StatusApplier;
import city.hotline.hub.relay.StatusReport;
import city.hotline.hub.store.ForwardOutboxStore;
import city.hotline.hub.store.InboxStore;
import city.hotline.hub.store.QuarantineStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

/**
 * Puts a quarantined item back where it failed: a mapping failure back into the inbox (after the
 * mapping was fixed), a refused ticket back into the forward outbox (after the case system was
 * fixed), a bad status report through the status stage again, a raw item a channel could not
 * parse back through that channel's parser.
 */
@Component
public class QuarantineReplayer {

    private static final Logger LOG = LoggerFactory.getLogger(QuarantineReplayer.class);

    private final QuarantineStore quarantine;
    private final InboxStore inbox;
    private final ForwardOutboxStore outbox;
    private final StatusApplier statusApplier;
    private final TransactionTemplate tx;
    private final java.util.List<RawItemReplayer> rawReplayers;

    public QuarantineReplayer(QuarantineStore quarantine, InboxStore inbox, ForwardOutboxStore outbox,
                              StatusApplier statusApplier, TransactionTemplate tx, java.util.List<RawItemReplayer> rawReplayers) {
        this.quarantine = quarantine;
        this.inbox = inbox;
        this.outbox = outbox;
        this.statusApplier = statusApplier;
        this.tx = tx;
        this.rawReplayers = rawReplayers;
    }

    public Map<String, Object> replay(long id) {
        QuarantineStore.Item item = quarantine.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no quarantined item " + id));
        if (!"OPEN".equals(item.state())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "quarantined item " + id + " was replayed already");
        }
        if (item.stage() == QuarantineStore.Stage.INTAKE) {
            RawItemReplayer replayer = rawReplayers.stream().filter(r -> r.channel().equals(item.channel())).findFirst()
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
                            "no replayer for raw " + item.channel() + " items"));
            try {
                replayer.replay(item);
            } catch (IllegalArgumentException e) {
                throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "still unreadable: " + e.getMessage());
            }
            quarantine.markReplayed(id);
        } else if (item.stage() == QuarantineStore.Stage.STATUS) {
            StatusReport report;
            try {
                report = StatusReport.parse(item.ticketId(), item.payload());
            } catch (RuntimeException e) {
                throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "still invalid: " + e.getMessage());
            }
            statusApplier.apply(report).orElseThrow(() ->
                    new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "still an unknown ticket: " + report.ticketId()));
            quarantine.markReplayed(id);
        } else {
            Boolean done = tx.execute(s -> {
                if (!quarantine.markReplayed(id)) {
                    return false;
                }
                boolean requeued = item.stage() == QuarantineStore.Stage.MAPPING ? inbox.requeue(item.refId()) : outbox.requeue(item.refId());
                if (!requeued) {
                    s.setRollbackOnly();
                }
                return requeued;
            });
            if (!Boolean.TRUE.equals(done)) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "quarantined item " + id + " is no longer waiting for a replay");
            }
        }
        LOG.info("Quarantined {} item {} (stage {}) replayed", item.channel(), id, item.stage());
        return Map.of("id", id, "stage", item.stage().name(), "state", "REPLAYED");
    }
}
