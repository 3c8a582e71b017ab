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
    private final boolean dryRun;

    /** @param dryRun write nothing: a dry run holds nothing and runs no daemon worth reporting */
    public StateFile(Path stateDir, boolean dryRun) {
        this.file = stateDir.resolve("state.json");
        this.daemon = stateDir.resolve("daemon.json");
        this.dryRun = dryRun;
    }

    public Path daemonPath() {
        return daemon;
    }

    void writeDaemon(String json) {
        if (!dryRun) {
            AtomicFile.writeIfDifferent(daemon, json + "\n");
        }
    }

    void write(Status status) {
        if (!dryRun) {
            AtomicFile.writeIfDifferent(file, status.toJson() + "\n");
        }
    }

    void delete() {
        if (!dryRun) {
            AtomicFile.delete(file);
            AtomicFile.delete(daemon);
        }
    }
}
