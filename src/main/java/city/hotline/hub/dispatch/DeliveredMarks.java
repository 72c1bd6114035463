package city.hotline.hub.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import city.hotline.hub.store.ForwardOutboxStore;
import city.hotline.hub.store.GroupCommit;
import city.hotline.hub.store.TicketBackendStore;
import city.hotline.hub.store.TicketStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records deliveries to back-ends: the outbox row SENT, the ticket FORWARDED, the back-end's
 * acknowledgement. The forwarding workers (32 per back-end by default) hand their marks in at once,
 * and one transaction writes every mark waiting at that moment ({@link GroupCommit}): per delivered
 * ticket that was a transaction of three statements, and the database's largest cost at full load
 * (issue 7's profile). Each worker still returns only after its own mark is committed, and only the
 * claim that holds a row may mark it: a mark whose claim was lost changes nothing and says so.
 */
@Component
public class DeliveredMarks implements SmartLifecycle {

    /** One delivery: its outbox row and claim, its ticket and back-end, and whether the back-end acknowledged it. */
    public record Mark(long outboxId, UUID claimToken, String ticketId, String backend, boolean acknowledged) {
    }

    private final ForwardOutboxStore outbox;
    private final TicketStore tickets;
    private final TicketBackendStore holders;
    private final TransactionTemplate tx;
    private final GroupCommit<Mark, Boolean> commits;

    public DeliveredMarks(ForwardOutboxStore outbox, TicketStore tickets, TicketBackendStore holders, TransactionTemplate tx,
                          @Value("${hub.forward.group-commit.max-batch:200}") int maxBatch,
                          @Value("${hub.forward.group-commit.max-wait:30s}") Duration maxWait) {
        this.outbox = outbox;
        this.tickets = tickets;
        this.holders = holders;
        this.tx = tx;
        this.commits = new GroupCommit<>("delivered marks", maxBatch, 10_000, maxWait, this::writeAll, m -> writeAll(List.of(m)).get(0));
    }

    /** @return false when the row's claim was lost (another claim decides it); nothing was changed then */
    public boolean record(Mark mark) {
        return commits.submit(mark);
    }

    private List<Boolean> writeAll(List<Mark> marks) {
        return tx.execute(s -> {
            outbox.commitWithoutWaitingForDisk();
            Set<Long> settled = outbox.markSentAll(marks.stream().map(Mark::outboxId).toList(),
                    marks.stream().map(Mark::claimToken).toList());
            List<Mark> mine = marks.stream().filter(m -> settled.contains(m.outboxId())).toList();
            if (!mine.isEmpty()) {
                tickets.markForwardedAll(mine.stream().map(Mark::ticketId).distinct().toList());
                List<Mark> acked = mine.stream().filter(Mark::acknowledged).toList();
                if (!acked.isEmpty()) {
                    holders.acknowledgeAll(acked.stream().map(Mark::ticketId).toList(), acked.stream().map(Mark::backend).toList());
                }
            }
            return marks.stream().map(m -> settled.contains(m.outboxId())).toList();
        });
    }

    @Override
    public void start() {
        commits.start();
    }

    /** Stops after Camel (a lower phase than SpringCamelContext's), so the routes' last deliveries are still marked. */
    @Override
    public void stop() {
        commits.stop();
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }

    @Override
    public boolean isRunning() {
        return commits.isRunning();
    }
}
