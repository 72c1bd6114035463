package city.hotline.hub.store;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for the intake: concurrent requests queue their delivery, one writer stores every
 * delivery waiting at that moment with one statement and one commit, and each caller returns (and
 * answers 202) only after the commit that holds its own row. Under load the batches grow by
 * themselves; alone, a request waits for just its own commit.
 *
 * <p>If a batch fails, each delivery of it is written again on its own, so one refused value fails
 * only its own request ({@link GroupCommit}).
 */
@Component
public class InboxGroupCommit implements SmartLifecycle {

    private final GroupCommit<InboxStore.Delivery, InboxStore.Receipt> commits;

    public InboxGroupCommit(InboxStore inbox, TransactionTemplate tx,
                            @Value("${hub.intake.group-commit.max-batch:200}") int maxBatch,
                            @Value("${hub.intake.group-commit.queue-capacity:5000}") int capacity,
                            @Value("${hub.intake.group-commit.max-wait:10s}") Duration maxWait) {
        this.commits = new GroupCommit<>("intake", maxBatch, capacity, maxWait,
                batch -> tx.execute(s -> inbox.acceptAll(batch)),
                one -> tx.execute(s -> inbox.accept(one)));
    }

    /** Stores the delivery and returns once it is committed; a storage failure is a {@link org.springframework.dao.DataAccessException}. */
    public InboxStore.Receipt accept(String channel, String channelItemId, String payload) {
        return accept(new InboxStore.Delivery(channel, channelItemId, payload));
    }

    /** The same, for a delivery of a named API client. */
    public InboxStore.Receipt accept(InboxStore.Delivery delivery) {
        return commits.submit(delivery);
    }

    @Override
    public void start() {
        commits.start();
    }

    /** Stops taking new deliveries and writes what is queued before returning. */
    @Override
    public void stop() {
        commits.stop();
    }

    @Override
    public boolean isRunning() {
        return commits.isRunning();
    }
}
