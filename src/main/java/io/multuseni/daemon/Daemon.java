package io.multuseni.daemon;

import io.multuseni.agent.NodeAgent;
import io.multuseni.config.Config;
import io.multuseni.config.ConfigException;
import io.multuseni.config.Settings;
import io.multuseni.labels.LabelLoop;
import io.multuseni.metrics.DaemonFile;
import io.multuseni.metrics.Reports;
import io.multuseni.node.Sleeper;
import io.multuseni.node.Wakeups;
import io.multuseni.systemd.Notifier;
import io.multuseni.systemd.StopReason;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}'s life under systemd: the boot phase and READY=1 (also with no ENI free, so kubelet is
 * never held hostage); then one loop that steps the {@link NodeAgent}, pings the watchdog and, on
 * SIGHUP, re-reads the configuration and reconciles at once; SIGTERM (the stop hook) interrupts it,
 * and it unlabels and releases — unless systemd is restarting the service, when it leaves everything
 * for the next process to adopt.
 */
public final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Supplier<Config> reread;
    private final Function<Config, Session> open;
    private final Map<String, String> env;
    private final Notifier notifier;
    private final StopReason stopReason;
    private final AtomicBoolean stopRequested;
    /** What wakes the loop early: a reload, or a release in the zone (told by the label loop). */
    private final Wakeups wakeups;
    private volatile boolean reloadRequested;
    private Config config;
    private Session session;
    /** The agent of the running configuration; set before its boot, so a stop during the boot releases too. */
    private NodeAgent agent;
    /** The metrics file and daemon.json, written after every pass of the loop. */
    private Reports reports;
    /** Whether status changes go to systemd as STATUS= (not during a boot or a reload, which end in READY). */
    private boolean reporting;

    /**
     * @param reread the configuration as it is now (SIGHUP)
     * @param open a session for a configuration that changed on reload, its label loop telling {@code wakeups}
     * @param wakeups the same the session's label loop tells of releases in the zone
     * @param stopReason asked at stop whether systemd is restarting the service (then nothing is released)
     * @param stopRequested set by the stop hook before it interrupts this thread
     */
    public Daemon(Config config, Session session, Supplier<Config> reread, Function<Config, Session> open,
           Wakeups wakeups, Map<String, String> env, Notifier notifier, StopReason stopReason, AtomicBoolean stopRequested) {
        this.stopReason = stopReason;
        this.stopRequested = stopRequested;
        this.config = config;
        this.session = session;
        this.wakeups = wakeups;
        this.reread = reread;
        this.open = open;
        this.env = env;
        this.notifier = notifier;
    }

    /** SIGHUP: re-read the configuration and reconcile at once, on the daemon's own thread. */
    public void requestReload() {
        reloadRequested = true;
        wakeups.wake();
    }

    private NodeAgent agentFor(Session s, Config c) {
        NodeAgent a = new NodeAgent(s.reconcilers, s.imds, s.labels, c, Clock.systemUTC(), Sleeper.REAL, new SecureRandom(),
                s.events(), this::statusChanged, wakeups);
        reports = new Reports(s.metrics, c.get(Settings.METRICS_FILE), new DaemonFile(c.get(Settings.STATE_DIR), c.get(Settings.DRY_RUN)));
        return a;
    }

    private void statusChanged(NodeAgent.StatusChange change) {
        if (reporting) {
            notifier.status(change.text());
        }
        if (!change.logged()) {
            log.info("{}", change.text());
        }
    }

    /** Runs until interrupted (the stop hook does that on SIGTERM), then releases. */
    public void run() throws Exception {
        Duration watchdog = watchdogInterval(env);
        agent = agentFor(session, config);
        try {
            agent.boot();
            reporting = true;
            notifier.ready(agent.status());
            // Only now: Kubernetes must never delay READY, which kubelet waits for.
            session.labels.ifPresent(LabelLoop::start);
            Instant nextPing = Instant.now();
            while (true) {
                Duration wait = agent.step();
                reports.write();
                if (watchdog != null) {
                    Duration untilPing = Duration.between(Instant.now(), nextPing);
                    wait = untilPing.compareTo(wait) < 0 ? untilPing : wait;
                }
                wakeups.await(wait);
                if (watchdog != null && !Instant.now().isBefore(nextPing)) {
                    notifier.watchdog();
                    nextPing = Instant.now().plus(watchdog);
                }
                if (reloadRequested) {
                    reloadRequested = false;
                    reload();
                }
            }
        } catch (Exception e) {
            // The stop hook interrupts whatever is in flight — a sleep, or an EC2 call whose answer is then
            // lost. Either way the release below cleans up, an attach that went through included.
            if (!stopRequested.get()) {
                throw e;
            }
        }
        Thread.interrupted(); // so the release's own calls are not cut short
        if (stopReason.restarting()) {
            // The next process adopts the attachment and finds the label and the tag in place: nothing moves.
            log.info("systemd is restarting the service: keeping the ENI, its interface, the instance tag and the"
                    + " Node label for the next process");
            notifier.stopping("restarting: keeping the ENI");
            session.labels.ifPresent(LabelLoop::close);
            return;
        }
        notifier.stopping("releasing");
        // The unlabel is bounded and never throws: whatever Kubernetes does, the ENIs are released next.
        try {
            agent.release();
        } finally {
            reports.remove();
        }
    }

    /**
     * SIGHUP: re-read the configuration; a bad one is reported and the running one kept. When the new
     * one holds the ENI differently (selector, name, tags, label), release under the old one first, so
     * nothing is left half-held. Then reconcile at once: adopt, rename, re-tag.
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
        boolean reopened = !next.equals(config);
        if (reopened) {
            log.info("configuration changed on reload:{}", changes(config, next));
            if (!next.holdsLike(config)) {
                log.info("the new configuration holds the ENI differently: releasing under the old one first");
                agent.release("a reload changed how the ENI is held");
                reports.remove();
            }
            // Held alike, the label stays as it is: the new label loop starts only once the reconcile below
            // knows what is held, so it never sees "holds nothing" for a moment.
            session.close();
            session = open.apply(next);
            config = next;
        } else {
            log.info("reload: configuration unchanged; reconciling now");
        }
        agent = agentFor(session, config);
        reporting = false; // the reconcile below reports through READY, not STATUS
        agent.boot(Duration.ZERO);
        reporting = true;
        if (reopened) {
            session.labels.ifPresent(LabelLoop::start);
        }
        notifier.ready(agent.status());
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
