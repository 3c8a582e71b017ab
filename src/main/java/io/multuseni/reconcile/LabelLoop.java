package io.multuseni.reconcile;

import io.multuseni.config.Config;
import io.multuseni.kube.KubeFailure;
import io.multuseni.kube.Nodes;
import io.multuseni.net.Links;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Node label right, on a thread of its own so the ENI work never waits for Kubernetes:
 * a pass every {@code --interval} and at once on a watch event or a {@link #kick()}; while the API
 * server is unreachable (or the kubeconfig not there yet) it backs off, logging once per change of
 * state rather than once per attempt.
 */
public final class LabelLoop {
    private static final Logger log = LoggerFactory.getLogger(LabelLoop.class);
    /** How long a stop waits for a pass in flight: one bounded API call and some margin. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);
    /** How long a claim keeps other standbys away: an attach and its interface take seconds, not this. */
    static final Duration CLAIM_TTL = Duration.ofSeconds(30);

    private final Supplier<Nodes> connect;
    private final NodeLabeler labeler;
    private final Duration interval;
    private final Random random;
    private final Semaphore kicks = new Semaphore(0);
    private final String zone;
    private final io.multuseni.config.LabelSpec label;
    private volatile Runnable onZoneRelease = () -> {};
    private Nodes nodes;
    private Nodes.Watch watch;
    private volatile Nodes.ZoneWatch zoneWatch;
    private NodeLabeler.State lastState;
    private String lastProblem;
    private Backoff backoff;
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param connect makes the API client; may throw {@link KubeFailure} (kubeconfig not there yet), and is
     *     called again on the next pass
     */
    public LabelLoop(Supplier<Nodes> connect, Links links, Config config, NodeContext node,
                     Supplier<Optional<Status>> held, Random random) {
        this.connect = connect;
        this.labeler = new NodeLabeler(links, config.interfaceName(), node.nodeName(), config.kube().nodeLabel(), held);
        this.interval = config.interval();
        this.random = random;
        this.zone = node.identity().zone();
        this.label = config.kube().nodeLabel();
    }

    /** Called when a Node of this zone loses the label or goes away: its ENI may be free now. */
    public void onZoneRelease(Runnable action) {
        onZoneRelease = action;
    }

    /**
     * Whether the zone's ENI is spoken for: some Node of the zone carries the label, or claimed the ENI
     * within the last {@link #CLAIM_TTL}; empty while that is not known (no watch yet, API unreachable).
     */
    public Optional<Boolean> zoneBusy() {
        Nodes.ZoneWatch w = zoneWatch;
        return w == null ? Optional.empty() : w.busy(Instant.now().minus(CLAIM_TTL));
    }

    /**
     * Marks this Node as taking the zone's free ENI (an annotation, never a label: it does not steer
     * pods), so the zone's other standbys, woken by the same release, skip their EC2 calls. Best effort.
     */
    public void claim(boolean claiming) {
        try {
            nodes().annotate(labeler.nodeName(), Nodes.CLAIM_ANNOTATION, claiming ? Instant.now().toString() : null);
        } catch (KubeFailure e) {
            log.debug("could not {} the claim: {}", claiming ? "set" : "remove", e.getMessage());
        }
    }

    public void start() {
        thread = new Thread(() -> {
            while (!stopped) {
                Duration wait = step();
                try {
                    kicks.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                kicks.drainPermits();
            }
        }, "multus-eni-label");
        thread.setDaemon(true);
        thread.start();
    }

    /** Re-check now (the ENI was just taken, or the Node changed). */
    public void kick() {
        kicks.release();
    }

    /** One pass. @return how long to wait before the next one, unless kicked */
    Duration step() {
        try {
            NodeLabeler.State state = labeler.reconcile(nodes());
            if (watch == null || !watch.active()) {
                if (watch != null) {
                    watch.close();
                }
                watch = nodes.watch(labeler.nodeName(), this::kick);
            }
            if (zoneWatch == null || !zoneWatch.active()) {
                if (zoneWatch != null) {
                    zoneWatch.close();
                }
                zoneWatch = nodes.watchZone(zone, label.key(), label.value(), () -> onZoneRelease.run());
            }
            if (lastProblem != null) {
                log.info("Kubernetes API reachable again");
                lastProblem = null;
            }
            if (state != lastState && state == NodeLabeler.State.NOT_REGISTERED) {
                log.info("node {} has not registered yet; it is labelled once it does", labeler.nodeName());
            }
            lastState = state;
            backoff = null;
            return interval;
        } catch (KubeFailure e) {
            if (!e.getMessage().equals(lastProblem)) {
                log.warn("Kubernetes: {}; retrying with backoff (the ENI work goes on)", e.getMessage());
                lastProblem = e.getMessage();
            }
            if (backoff == null) {
                backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), random);
            }
            Duration wait = backoff.next();
            return wait.compareTo(interval) < 0 ? wait : interval;
        }
    }

    private Nodes nodes() {
        if (nodes == null) {
            nodes = connect.get();
        }
        return nodes;
    }

    /** Stops the loop, leaving the label as it is (a reload hands over to a new loop). */
    public void stop() {
        stopped = true;
        kick();
        if (thread != null) {
            try {
                thread.join(STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops the loop and removes the label — the first step of a release. Bounded by the client's
     * request timeout; a failure is logged and the release goes on.
     */
    public void stopAndUnlabel() {
        stop();
        try {
            labeler.unlabel(nodes());
        } catch (KubeFailure e) {
            log.warn("could not remove label from node {}: {}; remove it by hand if the ENI goes elsewhere",
                    labeler.nodeName(), e.getMessage());
        } finally {
            close();
        }
    }

    /** Whether the Node carries the label: empty when the Node is not registered or the API unreachable. */
    public Optional<Boolean> labelled() {
        try {
            return labeler.isLabelled(nodes());
        } catch (KubeFailure e) {
            log.warn("Kubernetes: {}", e.getMessage());
            return Optional.empty();
        }
    }

    public void close() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        if (zoneWatch != null) {
            zoneWatch.close();
            zoneWatch = null;
        }
        if (nodes != null) {
            nodes.close();
            nodes = null;
        }
    }
}
