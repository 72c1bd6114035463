package city.hotline.hub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** Data directories for hubs started by tests, under target/test-data, emptied once per build JVM. */
public final class TestDataDirs {
    private static final Path ROOT = Path.of("target", "test-data").toAbsolutePath();
    private static boolean cleaned;

    private TestDataDirs() {
    }

    public static synchronized String fresh(String name) {
        if (!cleaned) {
            deleteTree(ROOT);
            cleaned = true;
        }
        Path dir = ROOT.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.toString();
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
