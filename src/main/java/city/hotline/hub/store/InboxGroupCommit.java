package city.hotline.hub.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import city.hotline.hub.ticket.TransientFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * only its own request. Written by hand because the caller must wait for its own commit: Camel's
 * aggregator completes a batch without answering each exchange that went into it.
 */
@Component
public class InboxGroupCommit implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(InboxGroupCommit.class);

    private record Pending(InboxStore.Delivery delivery, CompletableFuture<InboxStore.Receipt> result) {
    }

    private final InboxStore inbox;
    private final TransactionTemplate tx;
    private final int maxBatch;
    private final Duration maxWait;
    private final BlockingQueue<Pending> queue;
    private volatile boolean running;
    private Thread writer;

    public InboxGroupCommit(InboxStore inbox, TransactionTemplate tx,
                            @Value("${hub.intake.group-commit.max-batch:200}") int maxBatch,
                            @Value("${hub.intake.group-commit.queue-capacity:5000}") int capacity,
                            @Value("${hub.intake.group-commit.max-wait:10s}") Duration maxWait) {
        this.inbox = inbox;
        this.tx = tx;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    /** Stores the delivery and returns once it is committed; a storage failure is a {@link org.springframework.dao.DataAccessException}. */
    public InboxStore.Receipt accept(String channel, String channelItemId, String payload) {
        return accept(new InboxStore.Delivery(channel, channelItemId, payload));
    }

    /** The same, for a delivery of a named API client. */
    public InboxStore.Receipt accept(InboxStore.Delivery delivery) {
        if (!running) {
            throw new TransientFailure("the hub is shutting down; nothing was stored, please retry");
        }
        Pending p = new Pending(delivery, new CompletableFuture<>());
        try {
            if (!queue.offer(p, maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TransientFailure("intake is saturated; nothing was stored, please retry");
            }
            return p.result().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while storing; please retry");
        } catch (TimeoutException e) {
            // the writer may still commit it: a retry by the sender is an identical re-delivery (same receipt)
            throw new TransientFailure("storing took longer than " + maxWait + "; please retry");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Inbox writer failed unexpectedly", e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            List<InboxStore.Receipt> receipts = tx.execute(s -> inbox.acceptAll(batch.stream().map(Pending::delivery).toList()));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(receipts.get(i));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
                return;
            }
            LOG.warn("A batch of {} intake deliveries failed ({}); storing them one by one", batch.size(), e.toString());
            for (Pending p : batch) {
                try {
                    p.result().complete(tx.execute(s -> inbox.accept(p.delivery())));
                } catch (RuntimeException one) {
                    p.result().completeExceptionally(one);
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::writeLoop, "inbox-group-commit");
        writer.start();
    }

    /** Stops taking new deliveries and writes what is queued before returning. */
    @Override
    public void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.join(maxWait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
