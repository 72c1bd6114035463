package city.hotline.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How long this machine's disk holds a small synchronous write while a phase runs: every 20 ms, a 4 KiB
 * write and an fdatasync ({@code FileChannel.force(false)}) of a file on the disk the hub's PostgreSQL
 * writes to. Every commit of the hub (an accepted request, a batch of tickets) waits for such a flush of
 * its WAL, so when the disk holds one for 0.4 s the whole hub pauses with it: on the machines here that
 * happened several times a minute in some runs and not in others, and it moved the p99 at 200/s from
 * under 100 ms to 1.5 s. Measured beside each phase, like the CPU probe, so a figure can be read against
 * the disk it ran on; the probe's own writes (50 a second) are a small share of the hub's.
 */
final class DiskStallProbe implements AutoCloseable {

    /** A flush at least this long counts as a stall: longer than the p99 the fixed-rate phase aims at is not needed to hurt it. */
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long EVERY_MILLIS = 20;

    private final FileChannel file;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "disk-stall-probe");
        t.setDaemon(true);
        return t;
    });
    private final ByteBuffer page = ByteBuffer.allocate(4096);
    /** (start, length) of every flush, in System.nanoTime(); some 50 a second, a few MB for a whole run. */
    private final List<long[]> flushes = new ArrayList<>();

    DiskStallProbe(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.file = FileChannel.open(dir.resolve("disk-stall-probe.dat"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        // a fixed delay, not a fixed rate: a held flush must not be followed by a burst of catch-up writes
        timer.scheduleWithFixedDelay(this::flush, 0, EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void flush() {
        try {
            long start = System.nanoTime();
            page.clear();
            file.write(page, 0);
            file.force(false);
            long length = System.nanoTime() - start;
            synchronized (flushes) {
                flushes.add(new long[] {start, length});
            }
        } catch (IOException e) {
            if (!timer.isShutdown()) {
                HubBench.log("disk stall probe stopped: " + e);
                timer.shutdown();
            }
        }
    }

    /** The flushes that started between two System.nanoTime() readings. */
    Window between(long fromNanos, long toNanos) {
        long longest = 0;
        int stalls = 0;
        long stalled = 0;
        int count = 0;
        synchronized (flushes) {
            for (long[] f : flushes) {
                if (f[0] < fromNanos || f[0] > toNanos) {
                    continue;
                }
                count++;
                longest = Math.max(longest, f[1]);
                if (f[1] >= STALL_NANOS) {
                    stalls++;
                    stalled += f[1];
                }
            }
        }
        return new Window(count, longest, stalls, stalled);
    }

    /** How many flushes, the longest, and how many (and how long in all) took at least {@link #STALL_NANOS}. */
    record Window(int flushes, long longestNanos, int stalls, long stalledNanos) {
        /** For a report line: "N of M took >= 100 ms, X s in all". */
        String stallsDescribed() {
            return String.format("%d of %d took >= %d ms, %.1f s in all", stalls, flushes, TimeUnit.NANOSECONDS.toMillis(STALL_NANOS),
                    stalledNanos / 1e9);
        }
    }

    @Override
    public void close() throws IOException {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        file.close();
    }
}
