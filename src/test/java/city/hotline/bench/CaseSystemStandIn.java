package city.hotline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The case system's ticket API, answering 201 at once, in the driver's JVM so that its receipt times
 * share the driver's clock. It records when each channel item first arrived and counts every
 * delivery that should not have happened: the same item POSTed again (under the same ticket id or
 * under another one). {@code PUT /tickets/{id}} updates are counted apart; they are not duplicates,
 * unless the same {@code <ticketId>:<version>} key comes twice. With merging on (docs/dedup.md) an item
 * that joins an existing ticket reaches the case system as an extra origin in a PUT of that ticket, not
 * as a POST: it counts as arrived (not lost) when the first PUT listing it comes, and it is not a second
 * ticket; the origins a PUT repeats from earlier versions are not duplicates either.
 *
 * <p>The JDK's HttpServer rather than WireMock: WireMock keeps every request in its journal, which
 * at a million tickets would measure WireMock's heap rather than the hub.
 */
final class CaseSystemStandIn implements AutoCloseable {

    record Arrival(long nanos, String ticketId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CREATED = "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
    private final Set<String> updateKeys = ConcurrentHashMap.newKeySet();
    final AtomicLong posts = new AtomicLong();
    final AtomicLong updates = new AtomicLong();
    final AtomicLong resentSameTicket = new AtomicLong();
    final AtomicLong resentOtherTicket = new AtomicLong();
    final AtomicLong repeatedUpdateKeys = new AtomicLong();
    final AtomicLong unreadable = new AtomicLong();
    /** Items that arrived as an extra origin of a ticket (merged), not as a ticket of their own. */
    final AtomicLong mergedArrivals = new AtomicLong();

    private final long stallNanos;

    CaseSystemStandIn(java.time.Duration stall) throws IOException {
        this.stallNanos = stall.toNanos();
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK: ~40 ms a request, and the hub would be measured against that.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.createContext("/api/tickets", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** What to give the hub as {@code hub.backends.case-system.url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    private void handle(HttpExchange ex) throws IOException {
        long now = System.nanoTime();
        try (ex; InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            if ("PUT".equals(ex.getRequestMethod())) {
                updates.incrementAndGet();
                if (key != null && !updateKeys.add(key)) {
                    repeatedUpdateKeys.incrementAndGet();
                }
                recordUpdate(now, body);
            } else {
                record(now, key, body);
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(201, CREATED.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(CREATED);
            }
        }
    }

    private void record(long now, String key, byte[] body) {
        posts.incrementAndGet();
        String itemId;
        String ticketId;
        try {
            JsonNode ticket = JSON.readTree(body);
            itemId = ticket.at("/origins/0/channelItemId").asText(null);
            ticketId = ticket.path("ticketId").asText(key);
        } catch (IOException e) {
            unreadable.incrementAndGet();
            return;
        }
        if (itemId == null) {
            unreadable.incrementAndGet();
            return;
        }
        Arrival first = arrivals.putIfAbsent(itemId, new Arrival(now, ticketId));
        if (first != null) {
            (first.ticketId().equals(ticketId) ? resentSameTicket : resentOtherTicket).incrementAndGet();
        }
    }

    /** A PUT of a ticket: every origin it lists that has not arrived yet arrives now, merged into that ticket. */
    private void recordUpdate(long now, byte[] body) {
        try {
            JsonNode ticket = JSON.readTree(body);
            String ticketId = ticket.path("ticketId").asText(null);
            for (JsonNode origin : ticket.path("origins")) {
                String itemId = origin.path("channelItemId").asText(null);
                if (itemId != null && arrivals.putIfAbsent(itemId, new Arrival(now, ticketId)) == null) {
                    mergedArrivals.incrementAndGet();
                }
            }
        } catch (IOException e) {
            unreadable.incrementAndGet();
        }
    }

    Arrival arrival(String itemId) {
        return arrivals.get(itemId);
    }

    /** Distinct channel items received so far. */
    int received() {
        return arrivals.size();
    }

    long duplicates() {
        return resentSameTicket.get() + resentOtherTicket.get() + repeatedUpdateKeys.get();
    }

    /**
     * Waits until every one of these items has arrived, at most {@code max}, and gives up earlier once
     * nothing at all has arrived for {@code bench.stallSeconds} (a quarantined item never will). Answers how many are missing.
     */
    long awaitAll(Collection<String> itemIds, java.time.Duration max) throws InterruptedException {
        java.util.List<String> waiting = new java.util.ArrayList<>(itemIds);
        // progress is any request: with merging on, items arrive in PUTs too
        long[] seen = {posts.get() + updates.get()};
        long[] lastProgress = {System.nanoTime()};
        try {
            org.awaitility.Awaitility.await().atMost(max).pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                waiting.removeIf(arrivals::containsKey);
                if (posts.get() + updates.get() != seen[0]) {
                    seen[0] = posts.get() + updates.get();
                    lastProgress[0] = System.nanoTime();
                }
                return waiting.isEmpty() || System.nanoTime() - lastProgress[0] >= stallNanos;
            });
        } catch (org.awaitility.core.ConditionTimeoutException timeUp) {
            // the phase's longest wait is over: what has not arrived is reported as missing
        }
        waiting.removeIf(arrivals::containsKey);
        return waiting.size();
    }

    long missing(Collection<String> itemIds) {
        return itemIds.stream().filter(id -> !arrivals.containsKey(id)).count();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
