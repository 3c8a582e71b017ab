package io.multuseni.eni;

import io.multuseni.config.Network;
import io.multuseni.fs.AtomicFile;
import io.multuseni.node.Status;
import java.nio.file.Path;

/**
 * {@code <state-dir>/state.json} (the default network) or {@code state-<id>.json} (a further network):
 * what this instance holds for the network, for operators and scripts; gone once nothing is held.
 */
public final class StateFile {
    private final Path file;
    private final boolean dryRun;

    /** @param dryRun write nothing: a dry run holds nothing */
    public StateFile(Path stateDir, boolean dryRun, Network network) {
        this.file = stateDir.resolve(network.isDefault() ? "state.json" : "state-" + network.id() + ".json");
        this.dryRun = dryRun;
    }

    void write(Status status) {
        if (!dryRun) {
            AtomicFile.writeIfDifferent(file, status.toJson() + "\n");
        }
    }

    void delete() {
        if (!dryRun) {
            AtomicFile.delete(file);
        }
    }
}
