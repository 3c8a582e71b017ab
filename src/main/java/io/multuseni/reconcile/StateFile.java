package io.multuseni.reconcile;

import io.multuseni.fs.AtomicFile;
import java.nio.file.Path;

/**
 * {@code <state-dir>/state.json}: what this instance holds; and {@code daemon.json}: what the running
 * daemon has done (its metrics), which {@code status} shows beside what it finds itself.
 */
public final class StateFile {
    private final Path file;
    private final Path daemon;

    public StateFile(Path stateDir) {
        this.file = stateDir.resolve("state.json");
        this.daemon = stateDir.resolve("daemon.json");
    }

    public Path daemonPath() {
        return daemon;
    }

    void writeDaemon(String json) {
        AtomicFile.writeIfDifferent(daemon, json + "\n");
    }

    void write(Status status) {
        AtomicFile.writeIfDifferent(file, status.toJson() + "\n");
    }

    void delete() {
        AtomicFile.delete(file);
        AtomicFile.delete(daemon);
    }
}
