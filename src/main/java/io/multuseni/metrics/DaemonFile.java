package io.multuseni.metrics;

import io.multuseni.fs.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code <state-dir>/daemon.json}: what the running daemon has done (its metrics, every network's role),
 * which {@code status} shows beside what it finds itself. Removed when the daemon releases.
 */
public final class DaemonFile {
    private final Path file;
    private final boolean dryRun;

    /** @param dryRun write nothing: a dry run runs no daemon worth reporting */
    public DaemonFile(Path stateDir, boolean dryRun) {
        this.file = stateDir.resolve("daemon.json");
        this.dryRun = dryRun;
    }

    public Path path() {
        return file;
    }

    public void write(String json) {
        if (!dryRun) {
            AtomicFile.writeIfDifferent(file, json + "\n");
        }
    }

    public void delete() {
        if (!dryRun) {
            AtomicFile.delete(file);
        }
    }

    /** What the running daemon last wrote of itself, if one runs (or ran without releasing). */
    public Optional<String> read() {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
