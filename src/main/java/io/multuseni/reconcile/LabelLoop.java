package io.multuseni.reconcile;

import io.multuseni.config.Config;
import io.multuseni.config.Durations;
import io.multuseni.config.LabelSpec;
import io.multuseni.errors.Causes;
import io.multuseni.kube.Nodes;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Node label right. One thread of its own owns the Kubernetes client and its watches: every
 * pass, claim, unlabel and close runs there, so nothing Kubernetes does — a hang, a broken kubeconfig,
 * an exception of any kind — ever blocks or breaks the ENI work, which only hands it tasks. A pass runs
 * every {@code --interval}, and at once on a watch event or a {@link #kick()}; while the API server is
 * unreachable (or the kubeconfig unusable) it backs off, logging once per change of state. The client
 * is built again when the kubeconfig changes and after repeated failures.
 */
public final class LabelLoop {
    private static final Logger log = LoggerFactory.getLogger(LabelLoop.class);
    /**
     * How long a release waits for the unlabel (and a status for the label): a pass in flight and two
     * bounded API calls. Past it the ENI is released anyway.
     */
    static final Duration KUBE_WAIT = Duration.ofSeconds(15);
    /** How long a claim keeps other standbys away: an attach and its interface take seconds, not this. */
    static final Duration CLAIM_TTL = Duration.ofSeconds(30);
    /** Failures in a row after which the client is built anew (a cached bad address, a dead connection pool). */
    static final int REBUILD_AFTER = 3;

    private final Supplier<Nodes> connect;
    private final Supplier<Object> source;
    private final NodeLabeler labeler;
    private final Duration interval;
    private final Random random;
    private final String zone;
    private final LabelSpec label;
    private final ScheduledThreadPoolExecutor kube;
    private final AtomicBoolean kickPending = new AtomicBoolean();
    private volatile Runnable onZoneRelease = () -> {};
    private volatile boolean started;
    private volatile boolean stopped;
    private volatile Nodes.ZoneWatch zoneWatch;
    // Touched by the Kubernetes thread only (or by a test driving step() on its own thread).
    private Nodes nodes;
    /** What the client was last built (or tried to be built) from; null before the first try. */
    private Object builtFrom;
    private Nodes.Watch watch;
    private ScheduledFuture<?> nextPass;
    private NodeLabeler.State lastState;
    private String lastProblem;
    private int failuresInARow;
    private Backoff backoff;

    /**
     * @param connect makes the API client; may throw anything (a kubeconfig not there yet, or broken), and is
     *     called again on a later pass
     * @param source what the client is built from (e.g. the kubeconfig's content): when it changes, the client
     *     is built again
     */
    public LabelLoop(Supplier<Nodes> connect, Supplier<Object> source, Config config, NodeContext node,
                     Supplier<Optional<Status>> held, Random random) {
        this.connect = connect;
        this.source = source;
        this.labeler = new NodeLabeler(node.nodeName(), config.kube().nodeLabel(), held);
        this.interval = config.interval();
        this.random = random;
        this.zone = node.identity().zone();
        this.label = config.kube().nodeLabel();
        this.kube = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "multus-eni-kube");
            t.setDaemon(true);
            return t;
        });
        kube.setRemoveOnCancelPolicy(true);
    }

    /** Called (on a Kubernetes thread) when a Node of this zone loses the label or goes away. */
    public void onZoneRelease(Runnable action) {
        onZoneRelease = action;
    }

    /**
     * Whether the zone's ENI is spoken for: some Node of the zone carries the label, or claimed the ENI
     * within the last {@link #CLAIM_TTL}; empty while that is not known (no watch yet, API unreachable).
     * Answered from the watch's cache: no API call.
     */
    public Optional<Boolean> zoneBusy() {
        Nodes.ZoneWatch w = zoneWatch;
        return w == null ? Optional.empty() : w.busy(Instant.now().minus(CLAIM_TTL));
    }

    /**
     * Marks this Node as taking the zone's free ENI (an annotation, never a label: it does not steer
     * pods), so the zone's other standbys, woken by the same release, skip their EC2 calls. Best effort,
     * and handed to the Kubernetes thread: the caller goes on with its EC2 calls at once.
     */
    public void claim(boolean claiming) {
        String value = claiming ? Instant.now().toString() : null;
        submit(() -> {
            try {
                nodes().annotate(labeler.nodeName(), ZonePolicy.CLAIM_ANNOTATION, value);
            } catch (RuntimeException e) {
                log.debug("could not {} the claim: {}", claiming ? "set" : "remove", Causes.of(e));
            }
        });
    }

    /** Starts the passes: one now, then every interval and on every kick. */
    public void start() {
        started = true;
        kick();
    }

    /** Re-check now (the ENI was just taken, its interface moved, or the Node changed). */
    public void kick() {
        if (started && !stopped && kickPending.compareAndSet(false, true)) {
            submit(() -> {
                kickPending.set(false);
                pass();
            });
        }
    }

    private void pass() {
        if (stopped) {
            return;
        }
        if (nextPass != null) {
            nextPass.cancel(false);
        }
        Duration wait = step();
        try {
            nextPass = kube.schedule(this::pass, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // stopped meanwhile: no more passes
        }
    }

    /** One pass. @return how long to wait before the next one, unless kicked */
    Duration step() {
        try {
            if (builtFrom != null && !Objects.equals(source.get(), builtFrom)) {
                log.info("the kubeconfig changed: connecting to Kubernetes anew");
                disconnect();
            }
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
                zoneWatch = nodes.watchZone(zone, new ZonePolicy(label), () -> onZoneRelease.run());
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
            failuresInARow = 0;
            return interval;
        } catch (RuntimeException e) {
            // Anything at all: a broken kubeconfig can make the client throw what it never documents.
            String problem = Causes.of(e);
            if (!problem.equals(lastProblem)) {
                log.warn("Kubernetes: {}; retrying with backoff (the ENI work goes on)", problem);
                lastProblem = problem;
            }
            if (++failuresInARow >= REBUILD_AFTER) {
                failuresInARow = 0;
                disconnect();
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
            builtFrom = source.get();
            nodes = connect.get();
        }
        return nodes;
    }

    /**
     * Stops the loop and removes the label — the first step of a release. Waits at most {@link #KUBE_WAIT}
     * and never throws: a failure or a timeout is logged as a warning naming the Node and why, and the
     * release goes on.
     */
    public void stopAndUnlabel() {
        stopped = true;
        try {
            await(() -> {
                try {
                    labeler.unlabel(nodes());
                } finally {
                    disconnect();
                }
                return null;
            });
        } catch (Unanswered why) {
            log.warn("could not remove label {} from node {}: {}; the ENI is released anyway. If the Node stays,"
                    + " remove it by hand: kubectl label node {} {}-", label.key(), labeler.nodeName(),
                    why.getMessage(), labeler.nodeName(), label.key());
        }
        kube.shutdownNow();
    }

    /** Whether the Node carries the label: empty when the Node is not registered or the API unreachable. */
    public Optional<Boolean> labelled() {
        try {
            return await(() -> labeler.isLabelled(nodes()));
        } catch (Unanswered why) {
            log.warn("Kubernetes: {}", why.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Stops the loop and closes the client and its watches (on the Kubernetes thread), leaving the label as
     * it is: a reload hands over to a new loop. Waits for nothing.
     */
    public void close() {
        stopped = true;
        submit(this::disconnect);
        kube.shutdown();
    }

    private void disconnect() {
        Nodes.ZoneWatch z = zoneWatch;
        zoneWatch = null;
        if (z != null) {
            z.close();
        }
        if (watch != null) {
            watch.close();
            watch = null;
        }
        if (nodes != null) {
            nodes.close();
            nodes = null;
        }
    }

    private void submit(Runnable task) {
        try {
            kube.execute(task);
        } catch (RejectedExecutionException closed) {
            // closed: nothing more to do with Kubernetes
        }
    }

    /** Runs the call on the Kubernetes thread and waits for it at most {@link #KUBE_WAIT}. */
    private <T> T await(Callable<T> call) throws Unanswered {
        Future<T> answer;
        try {
            answer = kube.submit(call);
        } catch (RejectedExecutionException e) {
            throw new Unanswered("the Kubernetes client is already closed");
        }
        try {
            return answer.get(KUBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new Unanswered("no answer within " + Durations.format(KUBE_WAIT));
        } catch (ExecutionException e) {
            throw new Unanswered(Causes.of(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unanswered("interrupted");
        }
    }

    /** Kubernetes did not answer in time, or failed: the message says which and why. */
    private static final class Unanswered extends Exception {
        Unanswered(String why) {
            super(why);
        }
    }
}
