package io.lifeboat.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories for property tries (jqwik has no @TempDir per try), removed afterwards. */
public final class TempDirs {
    private TempDirs() {
    }

    public interface Body {
        void run(Path dir) throws Exception;
    }

    public static void with(String prefix, Body body) throws Exception {
        Path dir = Files.createTempDirectory(prefix);
        try {
            body.run(dir);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // best effort: a leftover scratch directory is not a test failure
            }
        }
    }
}
