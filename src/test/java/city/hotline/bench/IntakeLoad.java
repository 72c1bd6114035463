package city.hotline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import city.hotline.hub.support.BoardFixtures;

/**
 * Sends web-form submissions (real board posts from the test fixtures) over HTTP/1.1 with a bounded
 * number of requests in flight, either as fast as the server answers or at a fixed rate. A fixed-rate
 * request is timed from when it was due, not when a free slot let it go, so a stalled server shows
 * in the latency instead of slowing the load down.
 */
final class IntakeLoad {

    /** One phase's outcome; {@code accepted} holds the item ids answered 202. */
    record Phase(String name, long sent, long accepted, long refused, long failed, long redeliveries,
                 long startNanos, long endNanos, List<String> acceptedIds) {
        double acceptedPerSecond() {
            return accepted / ((endNanos - startNanos) / 1e9);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int concurrency;
    private final String[] templates;
    /** When each item was sent (or due), by item id: the start of its end-to-end latency. */
    final Map<String, Long> sentAt = new ConcurrentHashMap<>();

    IntakeLoad(int concurrency) {
        this.concurrency = concurrency;
        // the item id goes where the marker is, so a request costs a string concatenation, not a JSON write
        // A few rows of the data set write their time as 2019-04-08 08:37:20, which the web form's
        // schema refuses (400): sent as 2019/04/08 08:37:20, the board's usual form, they count.
        this.templates = BoardFixtures.postsWithReplies().stream()
                .map(p -> new BoardFixtures.Post(p.id(), p.user(), p.subject(), p.time().replaceFirst("^(\\d{4})-(\\d{2})-(\\d{2}) ", "$1/$2/$3 "),
                        p.body(), p.reply(), p.replyTime()))
                .map(p -> p.asWebform("@ID@", null)).toArray(String[]::new);
    }

    String body(String itemId, long n) {
        String t = templates[(int) (n % templates.length)];
        int at = t.indexOf("@ID@");
        return t.substring(0, at) + itemId + t.substring(at + 4);
    }

    Phase fullSpeed(String name, URI uri, String apiKey, String idPrefix, Duration duration, boolean track) throws InterruptedException {
        return run(name, uri, apiKey, idPrefix, duration, 0, track);
    }

    Phase fixedRate(String name, URI uri, String apiKey, String idPrefix, Duration duration, int perSecond) throws InterruptedException {
        return run(name, uri, apiKey, idPrefix, duration, perSecond, true);
    }

    private Phase run(String name, URI uri, String apiKey, String idPrefix, Duration duration, int perSecond, boolean track)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong redeliveries = new AtomicLong();
        java.util.Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long n = 0;
        while (true) {
            long due = perSecond > 0 ? start + n * 1_000_000_000L / perSecond : System.nanoTime();
            if (due >= end) {
                break;
            }
            while (perSecond > 0 && System.nanoTime() < due) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            if (!slots.tryAcquire(end - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                break;
            }
            String id = idPrefix + n;
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body(id, n)));
            if (apiKey != null) {
                req.header("X-Api-Key", apiKey);
            }
            if (track) {
                sentAt.put(id, perSecond > 0 ? due : System.nanoTime());
            }
            n++;
            http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                try {
                    if (e != null) {
                        failed.incrementAndGet();
                    } else if (r.statusCode() == 202) {
                        accepted.incrementAndGet();
                        if (r.body().contains("\"duplicate\":true")) {
                            redeliveries.incrementAndGet();
                        }
                        if (track) {
                            acceptedIds.add(id);
                        }
                    } else {
                        refused.incrementAndGet();
                    }
                } finally {
                    slots.release();
                }
            });
        }
        // the requests still in flight belong to this phase
        if (!slots.tryAcquire(concurrency, 60, TimeUnit.SECONDS)) {
            failed.addAndGet(concurrency - slots.availablePermits());
        }
        long stop = System.nanoTime();
        if (track) {
            for (long i = 0; i < n; i++) {
                String id = idPrefix + i;
                if (!acceptedIds.contains(id)) {
                    sentAt.remove(id);
                }
            }
        }
        return new Phase(name, n, accepted.get(), refused.get(), failed.get(), redeliveries.get(), start, stop, List.copyOf(acceptedIds));
    }
}
