package io.multuseni.metrics;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the daemon says of its work, written after every pass of its loop: the metrics file (if configured) and
 * {@code daemon.json}. What is said about the work never stops the work: a report that cannot be written (a
 * directory owned by node_exporter, a full disk) is logged once and counted ({@code errors_total{kind="files"}}),
 * and said again once it can be.
 */
public final class Reports {
    private static final Logger log = LoggerFactory.getLogger(Reports.class);

    private final Metrics metrics;
    private final Optional<Path> metricsFile;
    private final DaemonFile daemonFile;
    /** The reports that could not be written last time: each failure said once, until a write works again. */
    private final Set<Path> unwritable = new HashSet<>();

    public Reports(Metrics metrics, Optional<Path> metricsFile, DaemonFile daemonFile) {
        this.metrics = metrics;
        this.metricsFile = metricsFile;
        this.daemonFile = daemonFile;
    }

    public void write() {
        metricsFile.ifPresent(f -> report(f, () -> metrics.writeTo(f)));
        report(daemonFile.path(), () -> daemonFile.write(metrics.toJson()));
    }

    /** The daemon released what it held: no daemon.json is left to say otherwise. */
    public void remove() {
        daemonFile.delete();
    }

    /** Keyed by the report, not the error: each failed write names a temporary file of its own. */
    private void report(Path file, Runnable write) {
        try {
            write.run();
            if (unwritable.remove(file)) {
                log.info("wrote {} again", file);
            }
        } catch (UncheckedIOException e) {
            metrics.error("files");
            if (unwritable.add(file)) {
                log.warn("{}; the ENI is kept, and the report is written again once it can be", e.getMessage());
            }
        }
    }
}
