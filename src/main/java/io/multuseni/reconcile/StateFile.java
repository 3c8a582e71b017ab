package io.multuseni.reconcile;

import io.multuseni.fs.AtomicFile;
import java.nio.file.Path;

/** {@code <state-dir>/state.json}: what this instance holds, for operators and for tooling on the node. */
public final class StateFile {
    private final Path file;

    public StateFile(Path stateDir) {
        this.file = stateDir.resolve("state.json");
    }

    public Path path() {
        return file;
    }

    void write(Status status) {
        AtomicFile.writeIfDifferent(file, status.toJson() + "\n");
    }

    void delete() {
        AtomicFile.delete(file);
    }
}
