package city.hotline.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A server in its own JVM on this project's class path, as an operator would run it: its CPU and heap are its own. */
final class ChildJvm implements AutoCloseable {

    final String name;
    final Process process;
    final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(String name, Path log, String heap, String mainClass, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap));
        // extra options for the child, e.g. -Dbench.jvmArgs=-XX:StartFlightRecording=filename=hub.jfr to profile it
        String extra = System.getProperty("bench.jvmArgs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of("-cp", classpath(), mainClass));
        cmd.addAll(args);
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // a driver stopped with Ctrl-C takes its servers with it (SIGTERM: the hub stops its PostgreSQL)
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return new ChildJvm(name, p, log);
    }

    /**
     * The project's test class path. Under {@code mvn exec:java} the driver runs inside Maven, whose
     * {@code java.class.path} is Maven's own; the project's entries are those of the loader exec gave us.
     * Blank entries are dropped: Java reads one as the working directory, whose routes/ would load twice.
     */
    static String classpath() {
        ClassLoader loader = ChildJvm.class.getClassLoader();
        List<String> entries = new ArrayList<>();
        if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
            for (URL u : urls.getURLs()) {
                try {
                    entries.add(Path.of(u.toURI()).toString());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
        } else {
            entries.addAll(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        }
        return entries.stream().filter(e -> !e.isBlank()).collect(Collectors.joining(File.pathSeparator));
    }

    /** Waits (bounded) until {@code url} answers with {@code status}. */
    void awaitStatus(String url, int status, Duration max) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            org.awaitility.Awaitility.await().atMost(max).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == status;
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException(name + " not ready after " + max + "; see " + log);
        }
    }

    /** CPU time this JVM has used so far (user + system), from the operating system. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
