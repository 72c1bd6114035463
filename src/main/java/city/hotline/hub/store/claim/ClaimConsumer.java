package city.hotline.hub.store.claim;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claiming thread and a pool of {@code concurrency} workers. The claimer takes only as many
 * rows as there are free workers (times the batch size), so no claimed row waits in memory while its
 * lease runs; a slow row holds one worker, never the others. It sleeps until a worker is free, a row
 * is announced ({@link Wakeups}) or the fallback poll comes round.
 *
 * <p>Written here rather than with camel-sql's consumer: that one reads a query result and handles
 * it on one thread, with no claim, no per-row concurrency and no wake-up (DESIGN.md §10).
 */
public class ClaimConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimConsumer.class);
    /** At most this many rows per claim query, whatever the concurrency. */
    private static final int MAX_CLAIM = 500;
    /** How long a claim may wait for more workers to come free, so that one query serves several. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ClaimEndpoint endpoint;
    private final ClaimSource source;
    private final Semaphore freeWorkers;
    private final Semaphore wake = new Semaphore(0);
    private final Runnable wakeHook = this::wake;
    private ExecutorService workers;
    private Thread claimer;
    private volatile boolean running;
    private long lastClaimErrorLog;

    public ClaimConsumer(ClaimEndpoint endpoint, Processor processor, ClaimSource source) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.source = source;
        this.freeWorkers = new Semaphore(endpoint.getConcurrency());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ClaimComponent component = endpoint.getComponent();
        int released = component.releaseLeftClaims(endpoint.getSource(), source);
        if (released > 0) {
            LOG.info("Released {} claim(s) this instance ({}) held on {} before its restart", released,
                    component.getOwner(), endpoint.getSource());
        }
        workers = endpoint.getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "claim-" + endpoint.displayName(), endpoint.getConcurrency());
        component.getWakeups().register(source.wakeChannel(), wakeHook);
        running = true;
        claimer = new Thread(this::claimLoop, "claimer-" + endpoint.displayName());
        claimer.setDaemon(true);
        claimer.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        endpoint.getComponent().getWakeups().unregister(source.wakeChannel(), wakeHook);
        wake();
        if (claimer != null) {
            claimer.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (workers != null) {
            // rows in flight finish (their lease outlasts every back-end timeout); nothing new is claimed
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(workers, endpoint.getComponent().getLease().toMillis());
        }
        super.doStop();
    }

    void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void claimLoop() {
        while (running && isRunAllowed()) {
            try {
                int free = freeWorkers.availablePermits();
                if (free == 0 || isSuspendingOrSuspended()) {
                    sleepUntilWoken();
                    continue;
                }
                free = lingerForMoreFreeWorkers(free);
                List<Map<String, Object>> rows = claim(free);
                if (rows.isEmpty()) {
                    sleepUntilWoken();
                    continue;
                }
                int batch = endpoint.getBatchSize();
                for (int from = 0; from < rows.size(); from += batch) {
                    List<Map<String, Object>> chunk = rows.subList(from, Math.min(rows.size(), from + batch));
                    freeWorkers.acquire();
                    workers.execute(() -> handle(chunk));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the consumer must outlive anything: a bug here would otherwise stop the whole stage
                getExceptionHandler().handleException("claim loop of " + endpoint.displayName(), e);
            }
        }
    }

    /**
     * Under load, workers come free one at a time; claiming for each alone would cost one claim
     * query per row and make this thread the limit. While fewer than a quarter of the workers are
     * free (and some are busy), wait up to 10 ms for more. An idle consumer claims at once, and a
     * worker held by a slow row delays the others by 10 ms at most.
     */
    private int lingerForMoreFreeWorkers(int free) throws InterruptedException {
        int enough = Math.max(1, endpoint.getConcurrency() / 4);
        if (free >= enough) {
            return free;
        }
        long deadline = System.nanoTime() + LINGER_NANOS;
        long left;
        while (freeWorkers.availablePermits() < enough && (left = deadline - System.nanoTime()) > 0) {
            wake.tryAcquire(left, TimeUnit.NANOSECONDS);
        }
        return freeWorkers.availablePermits();
    }

    private List<Map<String, Object>> claim(int freeWorkers) throws InterruptedException {
        int max = Math.min(MAX_CLAIM, freeWorkers * endpoint.getBatchSize());
        ClaimComponent component = endpoint.getComponent();
        try {
            return source.claim(Claim.next(component.getOwner(), component.getLease()), endpoint.getLane(), max);
        } catch (RuntimeException e) {
            // the database is away: the rows stay where they are; try again at the next poll
            long now = System.currentTimeMillis();
            if (now - lastClaimErrorLog > 30_000) {
                lastClaimErrorLog = now;
                LOG.warn("{} cannot claim rows right now: {}", endpoint.displayName(), e.toString());
            }
            return List.of();
        }
    }

    private void sleepUntilWoken() throws InterruptedException {
        if (wake.tryAcquire(endpoint.getPollDelay(), TimeUnit.MILLISECONDS)) {
            wake.drainPermits();
        }
    }

    private void handle(List<Map<String, Object>> rows) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(endpoint.getBatchSize() == 1 ? rows.get(0) : List.copyOf(rows));
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                // the route's error handling did not settle these rows: they stay claimed until the
                // lease ends, then they are taken again (nothing is lost)
                getExceptionHandler().handleException("unsettled " + endpoint.displayName() + " rows", exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
            freeWorkers.release();
            wake();
        }
    }
}
