package io.multuseni.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Scratch directories of tests and benchmarks that JUnit's {@code @TempDir} does not manage. */
public final class Trees {
    private Trees() {}

    /** Deletes the directory and everything below it, deepest first. */
    public static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
