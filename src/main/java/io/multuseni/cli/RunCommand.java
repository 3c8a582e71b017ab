package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import io.multuseni.daemon.Daemon;
import io.multuseni.daemon.Hangups;
import io.multuseni.daemon.Session;
import io.multuseni.systemd.Notifier;
import io.multuseni.systemd.SocketNotifier;
import io.multuseni.systemd.StopReason;
import io.multuseni.systemd.SystemctlJobs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** The daemon (see {@link Daemon}); this command adds the stop hook that turns SIGTERM into a release. */
@Command(name = "run", description = "The daemon: boot phase, READY to systemd, the Node label, watchdog;"
        + " SIGHUP re-reads the config and reconciles; SIGTERM unlabels and releases (under systemd, a restart"
        + " keeps the ENI for the next process).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped and released (SIGTERM), or kept for the next process (a restart under systemd)",
                "1:runtime failure (systemd restarts the service)", ExitCodes.USAGE_LINE, ExitCodes.CONFIG_LINE})
final class RunCommand extends SessionCommand {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** Extra time the stop hook grants beyond the detach timeout, for unlabelling, untagging and cleanup. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(25);

    /** All of them: the daemon does everything the other commands do. */
    @Override
    List<Setting<?>> uses() {
        return Settings.ALL;
    }

    @Override
    int run(Config config, Session session) throws Exception {
        Thread worker = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean released = new AtomicBoolean();
        AtomicBoolean stopRequested = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stop requested: releasing");
            stopRequested.set(true);
            worker.interrupt();
            boolean done = false;
            try {
                done = finished.await(config.get(Settings.DETACH_TIMEOUT).plus(STOP_MARGIN).toMillis(), TimeUnit.MILLISECONDS)
                        && released.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // SIGTERM is the normal way to stop this service: once released, say so with exit 0. (Halt, not
            // exit: exit would wait for this very hook.)
            Runtime.getRuntime().halt(done ? ExitCodes.OK : ExitCodes.FAILURE);
        }, "multus-eni-stop"));
        Notifier notifier = SocketNotifier.fromEnvironment(main.env.get("NOTIFY_SOCKET"));
        // Under systemd a SIGTERM may be the first half of a restart; outside it, always a stop.
        StopReason stopReason = notifier == Notifier.NONE ? StopReason.ALWAYS_STOP : SystemctlJobs.ofThisProcess();
        Daemon daemon = new Daemon(config, session, () -> {
                Config next = main.reloadConfig();
                LogLevel.apply(next.get(Settings.LOG_LEVEL));
                return next;
            }, c -> Session.open(c, main.env, wakeups), wakeups, main.env,
                notifier, stopReason, stopRequested);
        Hangups.handOver(daemon::requestReload);
        try {
            daemon.run();
            released.set(true);
        } finally {
            finished.countDown();
        }
        return ExitCodes.OK;
    }
}
