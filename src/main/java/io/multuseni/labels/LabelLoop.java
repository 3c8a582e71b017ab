package io.multuseni.labels;

import io.multuseni.config.Config;
import io.multuseni.config.Durations;
import io.multuseni.config.Network;
import io.multuseni.config.Settings;
import io.multuseni.eni.EniReconciler;
import io.multuseni.errors.Causes;
import io.multuseni.kube.Nodes;
import io.multuseni.node.Backoff;
import io.multuseni.node.Held;
import io.multuseni.node.NodeContext;
import io.multuseni.node.Wakeups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Node's labels and annotations right, one of each per network. Every pass, claim, unlabel and
 * close runs on the Kubernetes thread ({@link KubeThread}), which owns the client; the ENI work only hands it
 * tasks. A pass runs every {@code --interval}, and at once on a watch event or a {@link #kick()}; while the API
 * server is unreachable (or the kubeconfig unusable) it backs off, logging once per change of state, and
 * builds the client again after repeated failures.
 */
public final class LabelLoop {
    private static final Logger log = LoggerFactory.getLogger(LabelLoop.class);
    /** How long a claim keeps other standbys away: an attach and its interface take seconds, not this. */
    static final Duration CLAIM_TTL = Duration.ofSeconds(30);
    /** Failures in a row after which the client is built anew (a cached bad address, a dead connection pool). */
    static final int REBUILD_AFTER = 3;
    /**
     * How long the zone watch may show other Nodes than the API server lists before it counts as behind: one that
     * delivers is milliseconds late, and a pass kicked just after a change (a claim) must not count.
     */
    static final Duration ZONE_WATCH_GRACE = Duration.ofSeconds(5);
    /** The ENI a holder's annotation names ({@link Held#annotation}). */
    private static final Pattern ENI_IN_ANNOTATION = Pattern.compile("\"eniId\":\\s*\"([^\"]+)\"");

    private final String nodeName;
    private final Map<Network, Part> parts = new LinkedHashMap<>();
    /** {@link Network#RUNNING_ANNOTATION}'s value: the networks this daemon runs for. */
    private final String running;
    private final Duration interval;
    /** When claims are made and first seen: the same clock as the rest of the node. */
    private final Clock clock;
    private final Random random;
    private final String zone;
    private final KubeThread kube;
    private final EventRecorder events;
    private final AtomicBoolean kickPending = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean stopped;
    // Touched by the Kubernetes thread only (or by a test driving step() on its own thread).
    private Nodes.Watch watch;
    private volatile Nodes.ZoneWatch zoneWatch;
    /** Since when the zone watch has shown other Nodes than the API server lists; null while they agree. */
    private Instant zoneWatchBehindSince;
    /** Whether the Node carries {@link ZonePolicy#ACTIVE_LABEL}, as this loop last set or saw it. */
    private boolean activeLabelled;
    /** The networks whose ENI this node is claiming now. */
    private final Set<Network> claiming = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> nextPass;
    private boolean registered = true;
    private String lastProblem;
    private int failuresInARow;
    private Backoff backoff;

    /** One network's part: its labeler and its zone's rule. */
    private record Part(NodeLabeler labeler, ZonePolicy policy) {}
    /** Told when a Node of the zone lets go of a network's ENI, so a standby here looks at once. */
    private final Wakeups wakeups;

    /**
     * @param connect makes the API client; may throw anything (a kubeconfig not there yet, or broken), and is
     *     called again on a later pass
     * @param source what the client is built from (e.g. the kubeconfig's content): when it changes, the client
     *     is built again
     * @param held for each network, what this node holds of it now (the default network first)
     * @param wakeups told (on this loop's thread) when a Node of the zone lets go of a network's ENI
     */
    public LabelLoop(Supplier<Nodes> connect, Supplier<Object> source, Config config, NodeContext node,
                     Map<Network, Supplier<Optional<Held>>> held, Wakeups wakeups, Clock clock, Random random) {
        this.wakeups = wakeups;
        this.clock = clock;
        this.nodeName = node.nodeName();
        this.interval = config.get(Settings.INTERVAL);
        this.random = random;
        this.zone = node.identity().zone();
        held.forEach((network, h) -> parts.put(network, new Part(new NodeLabeler(nodeName, zone, network, h),
                ZonePolicy.of(network))));
        this.running = parts.keySet().stream().map(Network::interfaceName).collect(Collectors.joining(","));
        this.kube = new KubeThread(connect, source, this::closeWatches);
        this.events = new EventRecorder(nodeName, kube, clock);
    }

    /** The Node's Events, written on this loop's thread. */
    public EventRecorder events() {
        return events;
    }

    /** The loop over these networks' reconcilers (what each holds decides its label and annotation). */
    public static LabelLoop over(Supplier<Nodes> connect, Supplier<Object> source, Config config, NodeContext node,
                                 List<EniReconciler> reconcilers, Wakeups wakeups, Clock clock, Random random) {
        Map<Network, Supplier<Optional<Held>>> held = new LinkedHashMap<>();
        reconcilers.forEach(r -> held.put(r.network(), r::held));
        return new LabelLoop(connect, source, config, node, held, wakeups, clock, random);
    }

    private Part part(Network network) {
        Part p = parts.get(network);
        if (p == null) {
            throw new IllegalArgumentException("no network " + network.id() + " in this label loop");
        }
        return p;
    }

    /**
     * Whether the zone's ENI is spoken for: another Node of the zone carries the label, or claimed the ENI
     * within the last {@link #CLAIM_TTL}; empty while that is not known (no watch yet, API unreachable).
     * Answered from the watch's cache: no API call.
     */
    public Optional<Boolean> zoneBusy(Network network) {
        Nodes.ZoneWatch w = zoneWatch;
        ZonePolicy policy = part(network).policy;
        Instant now = clock.instant();
        return w == null ? Optional.empty() : w.nodes().map(list -> list.stream()
                .anyMatch(n -> !n.name().equals(nodeName) && policy.spokenFor(n, now)));
    }

    /** What the zone watch saw change, told to each network's rule: who claims, and whether a holder let go. */
    private void zoneChanged(Nodes.View before, Nodes.View after) {
        Instant now = clock.instant();
        String name = after != null ? after.name() : before.name();
        parts.forEach((network, p) -> {
            p.policy.saw(name, after, now);
            if (p.policy.released(before, after) && !name.equals(nodeName)) {
                Matcher eni = ENI_IN_ANNOTATION.matcher(before.annotations().getOrDefault(network.annotationKey(), ""));
                wakeups.zoneReleased(network, new Wakeups.Release(name, eni.find() ? eni.group(1) : null));
            }
        });
    }

    /**
     * Marks this Node as taking the zone's free ENI (an annotation, never a label: it does not steer
     * pods), so the zone's other standbys, woken by the same release, skip their EC2 calls. Best effort,
     * and handed to the Kubernetes thread: the caller goes on with its EC2 calls at once.
     */
    public void claim(Network network, boolean claiming) {
        String value = claiming ? clock.instant().toString() : null;
        String annotation = part(network).policy.claimAnnotation();
        if (claiming) {
            this.claiming.add(network);
        } else {
            this.claiming.remove(network);
        }
        kube.submit(() -> {
            try {
                if (claiming && !activeLabelled) {
                    kube.client().addLabel(nodeName, ZonePolicy.ACTIVE_LABEL, "true"); // so the zone's watches see it
                    activeLabelled = true;
                }
                kube.client().annotate(nodeName, annotation, value);
            } catch (RuntimeException e) {
                log.debug("could not {} the claim: {}", claiming ? "set" : "remove", Causes.of(e));
            }
        });
        if (!claiming) {
            kick(); // the active label goes at the next pass unless something is held
        }
    }

    /** Starts the passes: one now, then every interval and on every kick. */
    public void start() {
        started = true;
        kick();
    }

    /** Re-check now (the ENI was just taken, its interface moved, or the Node changed). */
    public void kick() {
        if (started && !stopped && kickPending.compareAndSet(false, true)) {
            kube.submit(() -> {
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
        nextPass = kube.schedule(this::pass, step()); // null once stopped: no more passes
    }

    /** One pass, on the Kubernetes thread (tests drive it on their own). @return how long to wait before the next one, unless kicked */
    public Duration step() {
        try {
            Nodes nodes = kube.client();
            Optional<Nodes.View> node = nodes.node(nodeName);
            node.ifPresent(n -> {
                boolean active = !claiming.isEmpty();
                for (Part p : parts.values()) {
                    active |= p.labeler.reconcile(n, nodes);
                }
                activeLabel(nodes, n, active);
                if (!running.equals(n.annotations().get(Network.RUNNING_ANNOTATION))) {
                    nodes.annotate(nodeName, Network.RUNNING_ANNOTATION, running);
                }
            });
            if (watch == null || !watch.active()) {
                if (watch != null) {
                    watch.close();
                }
                watch = nodes.watch(nodeName, this::kick);
            }
            checkZoneWatch(nodes);
            events.flush(); // what could not be written before
            if (lastProblem != null) {
                log.info("Kubernetes API reachable again");
                lastProblem = null;
            }
            if (registered && node.isEmpty()) {
                log.info("node {} has not registered yet; it is labelled once it does", nodeName);
            }
            registered = node.isPresent();
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
                kube.disconnect();
            }
            if (backoff == null) {
                backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), random);
            }
            Duration wait = backoff.next();
            return wait.compareTo(interval) < 0 ? wait : interval;
        }
    }

    /** {@link ZonePolicy#ACTIVE_LABEL} on the Node while any network is held or claimed, and only then. */
    private void activeLabel(Nodes nodes, Nodes.View node, boolean active) {
        boolean there = node.labels().containsKey(ZonePolicy.ACTIVE_LABEL);
        if (active && !there) {
            nodes.addLabel(nodeName, ZonePolicy.ACTIVE_LABEL, "true");
        } else if (!active && there) {
            nodes.removeLabel(nodeName, ZonePolicy.ACTIVE_LABEL);
        }
        activeLabelled = active;
    }

    /**
     * The zone watch, started when there is none, and started anew when it failed or fell behind: a watch that
     * silently stopped delivering would leave every release unseen, and failover to the standbys' backoff. Each
     * pass lists what it should show (a handful of Nodes: the selector keeps it small) and compares; differing for
     * {@link #ZONE_WATCH_GRACE} means it is behind, not just a moment late. What it missed is told from the list
     * before it is replaced: the new watch starts from the list and would never tell a release that came between.
     */
    private void checkZoneWatch(Nodes nodes) {
        Nodes.ZoneWatch w = zoneWatch;
        String why = null;
        if (w != null && !w.active()) {
            why = "stopped";
        } else if (w != null && w.nodes().isPresent()) {
            boolean same = new HashSet<>(w.nodes().get())
                    .equals(new HashSet<>(nodes.listZone(zone, ZonePolicy.ACTIVE_LABEL)));
            Instant now = clock.instant();
            if (same) {
                zoneWatchBehindSince = null;
            } else if (zoneWatchBehindSince == null) {
                zoneWatchBehindSince = now;
            } else if (!now.isBefore(zoneWatchBehindSince.plus(ZONE_WATCH_GRACE))) {
                why = "fell behind: it has not shown the Nodes the API server lists for "
                        + Durations.format(ZONE_WATCH_GRACE);
            }
        }
        if (why != null) {
            log.error("the watch of the Nodes of {} {}; watching anew (a release in the zone is only seen through"
                    + " it)", zone, why);
            w.nodes().ifPresent(shown -> catchUp(shown, nodes.listZone(zone, ZonePolicy.ACTIVE_LABEL)));
            w.close();
            w = null;
            zoneWatchBehindSince = null;
        }
        if (w == null) {
            zoneWatch = nodes.watchZone(zone, ZonePolicy.ACTIVE_LABEL, this::zoneChanged);
        }
    }

    /** Tells each difference between what a watch showed and what the API server lists, as the watch would have. */
    private void catchUp(List<Nodes.View> shown, List<Nodes.View> listed) {
        Map<String, Nodes.View> now = new LinkedHashMap<>();
        listed.forEach(n -> now.put(n.name(), n));
        for (Nodes.View before : shown) {
            Nodes.View after = now.remove(before.name());
            if (!before.equals(after)) {
                zoneChanged(before, after);
            }
        }
        now.values().forEach(after -> zoneChanged(null, after));
    }

    /**
     * Stops the loop and removes the label — the first step of a release. Waits at most {@link KubeThread#KUBE_WAIT}
     * and never throws: a failure or a timeout is logged as a warning naming the Node and why, and the
     * release goes on.
     */
    public void stopAndUnlabel() {
        stopped = true;
        try {
            kube.await(() -> {
                try {
                    events.flush(); // the releases' Events, before the unlabel lets a standby take over
                    Nodes nodes = kube.client();
                    nodes.node(nodeName).ifPresent(n -> {
                        parts.values().forEach(p -> p.labeler.unlabel(n, nodes));
                        activeLabel(nodes, n, false);
                        if (n.annotations().containsKey(Network.RUNNING_ANNOTATION)) {
                            nodes.annotate(nodeName, Network.RUNNING_ANNOTATION, null);
                        }
                    });
                } finally {
                    kube.disconnect();
                }
                return null;
            });
        } catch (KubeThread.Unanswered why) {
            List<String> keys = parts.keySet().stream().map(n -> n.nodeLabel().key()).toList();
            log.warn("could not remove {} {} from node {}: {}; the ENI{} released anyway. If the Node stays,"
                    + " remove {} by hand: kubectl label node {} {}", keys.size() == 1 ? "label" : "labels",
                    String.join(", ", keys), nodeName, why.getMessage(), keys.size() == 1 ? " is" : "s are",
                    keys.size() == 1 ? "it" : "them", nodeName,
                    keys.stream().map(k -> k + "-").collect(Collectors.joining(" ")));
        }
        kube.shutdownNow();
    }

    /** Whether the Node carries the network's label: empty when the Node is not registered or the API unreachable. */
    public Optional<Boolean> labelled(Network network) {
        NodeLabeler labeler = part(network).labeler;
        try {
            return kube.await(() -> kube.client().node(nodeName).map(labeler::isLabelled));
        } catch (KubeThread.Unanswered why) {
            log.warn("Kubernetes: {}", why.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Stops the loop and closes the client and its watches (on the Kubernetes thread), leaving the label as
     * it is: a reload hands over to a new loop. Waits only for what was handed over before (an Event), a few
     * seconds at most.
     */
    public void close() {
        stopped = true;
        kube.close();
    }

    /** Before the client goes: the watches opened on it. */
    private void closeWatches() {
        Nodes.ZoneWatch z = zoneWatch;
        zoneWatch = null;
        if (z != null) {
            z.close();
        }
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }
}
