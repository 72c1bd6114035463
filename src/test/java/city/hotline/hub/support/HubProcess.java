package city.hotline.hub.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.awaitility.Awaitility;

/** The hub as a separate JVM, the way an operator runs it, so that a test can kill it for real. */
public final class HubProcess implements AutoCloseable {

    /** The API key a process gets when the test names none (also an ops key: client default). */
    public static final String API_KEY = "process-test-key";

    private final Process process;
    private final int port;
    private final Path log;

    private HubProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static HubProcess start(String dataDir, String name, String... args) throws IOException {
        int port = freePort();
        // Surefire's class path ends with an empty entry, which Java reads as the working directory:
        // the project folder's own routes/ would then load twice next to target/classes/routes.
        String classpath = java.util.Arrays.stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(File.pathSeparator)).filter(e -> !e.isBlank()).collect(java.util.stream.Collectors.joining(File.pathSeparator));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", classpath, "city.hotline.hub.HotlineHubApplication",
                "--server.port=" + port, "--hub.data-dir=" + dataDir));
        // the hub refuses shipped default secrets outside the demo profile: give test values unless the test does
        if (Arrays.stream(args).noneMatch(a -> a.startsWith("--hub.api.keys="))) {
            cmd.add("--hub.api.keys=" + API_KEY);
        }
        if (Arrays.stream(args).noneMatch(a -> a.startsWith("--hub.backends.case-system.status-secret="))) {
            cmd.add("--hub.backends.case-system.status-secret=process-test-status-secret");
        }
        // these hubs test storage and scale-out with repeated texts, one ticket each: no near-duplicate merging
        if (Arrays.stream(args).noneMatch(a -> a.startsWith("--hub.dedup.enabled="))) {
            cmd.add("--hub.dedup.enabled=false");
        }
        cmd.addAll(List.of(args));
        Path log = Path.of(dataDir).resolveSibling(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HubProcess hub = new HubProcess(p, port, log);
        hub.awaitUp();
        return hub;
    }

    private void awaitUp() {
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("hub on port " + port + " (log: " + log + ")").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("hub exited with " + process.exitValue() + "; log: " + tail());
                    }
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/actuator/health/readiness"))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        return r.statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** SIGKILL: no shutdown hooks, no draining, the embedded PostgreSQL child is left behind. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the orderly shutdown an operator's Ctrl-C gives. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    /** The live postgres server recorded in the data directory's pid file, if any. */
    public static Optional<ProcessHandle> embeddedPostgres(String dataDir) throws IOException {
        File pidFile = Path.of(dataDir, "postgres", "postmaster.pid").toFile();
        if (!pidFile.exists()) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile.toPath()).get(0).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
