package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.config.ConfigException;
import io.multuseni.reconcile.LabelLoop;
import io.multuseni.reconcile.Outcome;
import io.multuseni.systemd.Notifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code run}'s life under systemd: the boot phase and READY=1 (also with no ENI free, so kubelet is
 * never held hostage); then one loop that pings the watchdog, looks for a free ENI while in standby,
 * and on SIGHUP re-reads the configuration and reconciles at once; SIGTERM (the stop hook) interrupts
 * it, and it unlabels and releases.
 */
final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Supplier<Config> reread;
    private final Map<String, String> env;
    private final Notifier notifier;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean reloadRequested;
    private Config config;
    private Session session;
    private Outcome outcome;

    Daemon(Config config, Session session, Supplier<Config> reread, Map<String, String> env, Notifier notifier) {
        this.config = config;
        this.session = session;
        this.reread = reread;
        this.env = env;
        this.notifier = notifier;
    }

    /** Runs until interrupted (the stop hook does that on SIGTERM), then releases. */
    void run() throws Exception {
        Signal.handle(new Signal("HUP"), signal -> {
            reloadRequested = true;
            wake.release();
        });
        Duration watchdog = watchdogInterval(env);
        try {
            outcome = session.reconciler.acquire();
            notifier.ready(describe(outcome));
            logUnlessHolding(outcome);
            // Only now: Kubernetes must never delay READY, which kubelet waits for.
            session.labels.ifPresent(LabelLoop::start);
            Instant nextLook = Instant.now().plus(config.interval());
            while (true) {
                Duration untilLook = Duration.between(Instant.now(), nextLook);
                Duration wait = watchdog != null && watchdog.compareTo(untilLook) < 0 ? watchdog : untilLook;
                wake.tryAcquire(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                if (watchdog != null) {
                    notifier.watchdog();
                }
                if (reloadRequested) {
                    reloadRequested = false;
                    reload();
                    nextLook = Instant.now().plus(config.interval());
                } else if (!Instant.now().isBefore(nextLook)) {
                    if (outcome instanceof Outcome.NoneFree) {
                        reconcile();
                    }
                    nextLook = Instant.now().plus(config.interval());
                }
            }
        } catch (InterruptedException stop) {
            notifier.stopping("releasing");
            session.labels.ifPresent(LabelLoop::stopAndUnlabel);
            session.reconciler.release();
        }
    }

    /** One look now: adopt or attach, re-name, re-tag; tell systemd when the state changed. */
    private void reconcile() throws InterruptedException {
        String before = describe(outcome);
        outcome = session.reconciler.acquire(Duration.ZERO, false);
        String after = describe(outcome);
        if (!after.equals(before)) {
            notifier.status(after);
            logUnlessHolding(outcome);
        }
        session.labels.ifPresent(LabelLoop::kick);
    }

    /**
     * SIGHUP: re-read the configuration; a bad one is reported and the running one kept. When the new
     * one holds the ENI differently (selector, name, tags, label), release under the old one first, so
     * nothing is left half-held. Then reconcile at once.
     */
    private void reload() throws InterruptedException {
        notifier.reloading(System.nanoTime() / 1000);
        Config next;
        try {
            next = reread.get();
        } catch (ConfigException e) {
            e.problems().forEach(p -> log.error("configuration error on reload: {}", p));
            log.error("keeping the running configuration");
            notifier.ready("reload refused: " + e.problems().get(0));
            return;
        }
        if (!next.equals(config)) {
            log.info("configuration changed on reload:{}", changes(config, next));
            session.labels.ifPresent(next.holdsLike(config) ? LabelLoop::stop : LabelLoop::stopAndUnlabel);
            if (!next.holdsLike(config)) {
                log.info("the new configuration holds the ENI differently: releasing under the old one first");
                session.reconciler.release();
            }
            session.close();
            session = Session.open(next, env);
            config = next;
            session.labels.ifPresent(LabelLoop::start);
        } else {
            log.info("reload: configuration unchanged; reconciling now");
        }
        reconcile();
        notifier.ready(describe(outcome));
    }

    private static String changes(Config before, Config after) {
        StringBuilder s = new StringBuilder();
        Map<String, String> old = before.describe();
        after.describe().forEach((k, v) -> {
            if (!v.equals(old.get(k))) {
                s.append(' ').append(k).append('=').append(v).append(" (was ").append(old.get(k)).append(')');
            }
        });
        return s.toString();
    }

    private String describe(Outcome o) {
        if (o instanceof Outcome.Holding h) {
            return "holding " + h.status().eniId() + " as " + config.interfaceName();
        }
        if (o instanceof Outcome.DryRun d) {
            return "dry run: " + d.plan();
        }
        return "standby: " + ((Outcome.NoneFree) o).reason();
    }

    private void logUnlessHolding(Outcome o) {
        if (!(o instanceof Outcome.Holding)) {
            log.info("{}", describe(o)); // the reconciler has already said what it holds
        }
    }

    /**
     * Half of systemd's WatchdogSec (WATCHDOG_USEC), as sd_watchdog_enabled advises; null when the
     * watchdog is off or meant for another process (WATCHDOG_PID).
     */
    static Duration watchdogInterval(Map<String, String> env) {
        String usec = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        if (usec == null || pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            return null;
        }
        try {
            long micros = Long.parseLong(usec.trim());
            return micros > 0 ? Duration.ofNanos(micros * 1000 / 2) : null;
        } catch (NumberFormatException e) {
            log.warn("ignoring WATCHDOG_USEC '{}': not a number of microseconds", usec);
            return null;
        }
    }
}
