package city.hotline.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * How fast one core of this machine is right now: SHA-256 over a 64 KiB buffer, on the calling thread,
 * in MB/s. The cores here are shared with other virtual machines, and their speed drifts within one
 * run: the benchmark probes before its ceilings and again right after the full-speed phase (the hub
 * idle), so a run whose machine slowed down in between says so next to its figures.
 */
final class CpuProbe {

    private CpuProbe() {
    }

    static double mbPerSecond(Duration duration) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        // a first second unmeasured, so the JIT has compiled the digest loop
        run(sha, buffer, Duration.ofSeconds(1));
        long start = System.nanoTime();
        long bytes = run(sha, buffer, duration);
        return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
    }

    private static long run(MessageDigest sha, byte[] buffer, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long bytes = 0;
        while (System.nanoTime() < end) {
            sha.update(buffer);
            buffer[0] = sha.digest()[0];
            bytes += buffer.length;
        }
        return bytes;
    }
}
