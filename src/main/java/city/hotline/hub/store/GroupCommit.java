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
import java.util.function.Function;

import city.hotline.hub.ticket.TransientFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: concurrent callers queue one item each, one writer thread writes every item waiting
 * at that moment in one transaction, and each caller returns only after the commit that holds its own
 * item, with its own result. Under load the batches grow by themselves; alone, a caller waits for just
 * its own commit. If a batch fails, each of its items is written again on its own, so one refused item
 * fails only its own caller.
 *
 * <p>Written by hand because each caller must wait for its own commit and get its own answer: Camel's
 * aggregator completes a batch without answering each exchange that went into it.
 *
 * @param <T> what a caller hands in
 * @param <R> what it gets back once its item is committed
 */
public final class GroupCommit<T, R> {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending<T, R>(T item, CompletableFuture<R> result) {
    }

    private final String name;
    private final int maxBatch;
    private final Duration maxWait;
    private final BlockingQueue<Pending<T, R>> queue;
    private final Function<List<T>, List<R>> writeAll;
    private final Function<T, R> writeOne;
    private volatile boolean running;
    private Thread writer;

    /**
     * @param name     what is written, for messages and the thread's name ("intake", "delivered marks")
     * @param writeAll writes a batch in one transaction and returns one result per item, in order
     * @param writeOne writes one item in its own transaction (after its batch failed)
     */
    public GroupCommit(String name, int maxBatch, int capacity, Duration maxWait,
                       Function<List<T>, List<R>> writeAll, Function<T, R> writeOne) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.writeAll = writeAll;
        this.writeOne = writeOne;
    }

    /** Writes the item and returns its result once committed; a failure to write it is thrown as it came. */
    public R submit(T item) {
        if (!running) {
            throw new TransientFailure("the hub is shutting down; " + name + ": nothing was stored, please retry");
        }
        Pending<T, R> p = new Pending<>(item, new CompletableFuture<>());
        try {
            if (!queue.offer(p, maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TransientFailure(name + " is saturated; nothing was stored, please retry");
            }
            return p.result().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(name + ": interrupted while storing; please retry");
        } catch (TimeoutException e) {
            // the writer may still commit it: what the caller does next must not depend on it being absent
            throw new TransientFailure(name + ": storing took longer than " + maxWait + "; please retry");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void writeLoop() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
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
                LOG.error("{} writer failed unexpectedly", name, e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending<T, R>> batch) {
        try {
            List<R> results = writeAll.apply(batch.stream().map(Pending::item).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
                return;
            }
            LOG.warn("A batch of {} ({}) failed ({}); writing them one by one", batch.size(), name, e.toString());
            for (Pending<T, R> p : batch) {
                try {
                    p.result().complete(writeOne.apply(p.item()));
                } catch (RuntimeException one) {
                    p.result().completeExceptionally(one);
                }
            }
        }
    }

    public void start() {
        running = true;
        writer = new Thread(this::writeLoop, name.replace(' ', '-') + "-group-commit");
        writer.start();
    }

    /** Stops taking new items and writes what is queued before returning. */
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

    public boolean isRunning() {
        return running;
    }
}
