package io.multuseni.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks systemd which job is stopping this unit: while {@code systemctl restart} runs, the unit's job is
 * of type {@code restart} (also for {@code try-restart} and {@code reload-or-restart}); while
 * {@code systemctl stop} or a shutdown runs, it is {@code stop}. The unit is the one whose cgroup this
 * process is in. When the answer cannot be had, it is a stop: releasing is always safe, where keeping the
 * ENI on a node that is going away is not.
 */
public final class SystemctlJobs implements StopReason {
    private static final Logger log = LoggerFactory.getLogger(SystemctlJobs.class);
    private static final long TIMEOUT_SECONDS = 5;
    private final Path cgroupFile;
    private final String systemctl;

    public SystemctlJobs(Path cgroupFile, String systemctl) {
        this.cgroupFile = cgroupFile;
        this.systemctl = systemctl;
    }

    public static SystemctlJobs ofThisProcess() {
        return new SystemctlJobs(Path.of("/proc/self/cgroup"), "systemctl");
    }

    @Override
    public boolean restarting() {
        Optional<String> unit = unit();
        if (unit.isEmpty()) {
            log.warn("not in a systemd service's cgroup ({}): treating the stop as a stop", cgroupFile);
            return false;
        }
        List<String> command = List.of(systemctl, "list-jobs", "--no-legend", "--no-pager", unit.get());
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                log.warn("{} did not answer ({}): treating the stop as a stop", String.join(" ", command), out.trim());
                return false;
            }
            return restartJobOf(unit.get(), out);
        } catch (IOException e) {
            log.warn("cannot ask systemd why it stops {} ({}): treating the stop as a stop", unit.get(), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The service unit this process runs in, from the last path element of its cgroup ending in .service. */
    Optional<String> unit() {
        try {
            for (String line : Files.readAllLines(cgroupFile, StandardCharsets.UTF_8)) {
                String path = line.substring(line.lastIndexOf(':') + 1);
                String[] parts = path.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    if (parts[i].endsWith(".service")) {
                        return Optional.of(parts[i]);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("cannot read {}: {}", cgroupFile, e.toString());
        }
        return Optional.empty();
    }

    /** Whether {@code systemctl list-jobs --no-legend} lists a restart job of the unit ("ID UNIT TYPE STATE"). */
    static boolean restartJobOf(String unit, String listJobs) {
        return listJobs.lines().map(String::trim).map(l -> l.split("\\s+"))
                .anyMatch(f -> f.length >= 3 && f[1].equals(unit) && f[2].contains("restart"));
    }
}
