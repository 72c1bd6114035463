package city.hotline.hub.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the hub is killed with {@code kill -9}, the PostgreSQL child it started keeps running
 * and holds {@code postmaster.pid}; the next start would fail with "lock file already exists".
 * This stops such a leftover server, but only when the pid file names a live postgres process
 * serving this very data directory.
 */
final class LeftoverPostgresStopper {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverPostgresStopper.class);
    private final Path dataDir;

    LeftoverPostgresStopper(Path dataDir) {
        this.dataDir = dataDir;
    }

    void stopLeftoverServer() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty() || !servesThisDirectory(handle.get(), lines.get(1).trim())) {
            return; // stale file: PostgreSQL itself recovers from it
        }
        ProcessHandle server = handle.get();
        LOG.warn("Stopping a leftover embedded PostgreSQL (pid {}) still running on {} from an earlier run", pid, dataDir);
        server.destroy(); // SIGTERM: orderly shutdown, its clients died with the previous JVM
        if (!waitForExit(server, Duration.ofSeconds(30))) {
            LOG.warn("Leftover PostgreSQL (pid {}) did not stop in 30 s; killing it", pid);
            server.destroyForcibly();
            waitForExit(server, Duration.ofSeconds(10));
        }
    }

    private boolean servesThisDirectory(ProcessHandle process, String pidFileDataDir) {
        String command = process.info().command().orElse("");
        boolean isPostgres = command.endsWith("postgres") || command.endsWith("postmaster");
        boolean sameDir;
        try {
            sameDir = Path.of(pidFileDataDir).toRealPath().equals(dataDir.toRealPath());
        } catch (IOException e) {
            sameDir = false;
        }
        return isPostgres && sameDir;
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        }
    }
}
