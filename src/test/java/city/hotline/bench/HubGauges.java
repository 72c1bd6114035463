package city.hotline.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The hub's CPU and heap while it works. CPU is the operating system's count for the hub's JVM and,
 * apart, for its embedded PostgreSQL (a separate process tree, found by its pid file). Heap is read
 * once a second from the hub's own Micrometer gauges: used heap (its peak is what -Xmx must hold)
 * and live data after the last collection.
 */
final class HubGauges implements AutoCloseable {

    record Cpu(long nanos, Duration hub, Duration postgres, Duration driver) {
        /** Cores in use between then and now, as [hub, postgres, driver with the stand-in]. */
        double[] coresSince(Cpu then) {
            double wall = nanos - then.nanos;
            return new double[] {(hub.toNanos() - then.hub.toNanos()) / wall, (postgres.toNanos() - then.postgres.toNanos()) / wall,
                    (driver.toNanos() - then.driver.toNanos()) / wall};
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChildJvm hub;
    private final String baseUrl;
    private final String apiKey;
    private final Path postgresPidFile;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hub-gauges");
        t.setDaemon(true);
        return t;
    });
    final AtomicLong peakHeapUsed = new AtomicLong();
    final AtomicLong peakLiveAfterGc = new AtomicLong();

    HubGauges(ChildJvm hub, String baseUrl, String apiKey, Path hubDataDir) {
        this.apiKey = apiKey;
        this.hub = hub;
        this.baseUrl = baseUrl;
        this.postgresPidFile = hubDataDir.resolve("postgres").resolve("postmaster.pid");
        timer.scheduleWithFixedDelay(this::sampleHeap, 0, 1, TimeUnit.SECONDS);
    }

    Cpu cpu() {
        Duration pg = postmaster().map(p -> p.descendants().map(HubGauges::cpuOf).reduce(cpuOf(p), Duration::plus))
                .orElse(Duration.ZERO);
        // the driver's JVM (this one) also holds Maven's, idle while exec:java runs the driver
        return new Cpu(System.nanoTime(), hub.cpu(), pg, cpuOf(ProcessHandle.current()));
    }

    /** CPU time the process has used so far (user + system), from the operating system. */
    static Duration cpuOf(ProcessHandle p) {
        return p.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private Optional<ProcessHandle> postmaster() {
        try {
            long pid = Long.parseLong(Files.readAllLines(postgresPidFile).get(0).trim());
            return ProcessHandle.of(pid);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The hub's JIT compilation time so far, in ms (Micrometer's {@code jvm.compilation.time}), or -1 if
     * it cannot be read. Its growth over a phase says whether the JIT was still compiling while the phase
     * was measured: on 2 cores its threads share the cores with the load.
     */
    long compilationMillis() {
        long ms = gauge("jvm.compilation.time");
        return ms > 0 ? ms : -1;
    }

    private void sampleHeap() {
        peakHeapUsed.accumulateAndGet(gauge("jvm.memory.used?tag=area:heap"), Math::max);
        peakLiveAfterGc.accumulateAndGet(gauge("jvm.gc.live.data.size"), Math::max);
    }

    private long gauge(String metric) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/metrics/" + metric))
                    .header("X-Api-Key", apiKey).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? (long) JSON.readTree(r.body()).at("/measurements/0/value").asDouble() : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
