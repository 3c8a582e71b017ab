package io.multuseni.agent;

import io.multuseni.aws.AwsFailure;
import io.multuseni.aws.Imds;
import io.multuseni.aws.ImdsFailure;
import io.multuseni.config.Config;
import io.multuseni.config.Durations;
import io.multuseni.config.Network;
import io.multuseni.config.Settings;
import io.multuseni.eni.EniReconciler;
import io.multuseni.kube.KubeFailure;
import io.multuseni.labels.LabelLoop;
import io.multuseni.net.LinkFailure;
import io.multuseni.node.Backoff;
import io.multuseni.node.Held;
import io.multuseni.node.Outcome;
import io.multuseni.node.Place;
import io.multuseni.node.ReconcileFailure;
import io.multuseni.node.Sleeper;
import io.multuseni.node.Wakeups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's life after the boot phase, one {@link #step} at a time (the daemon's loop, or a fleet
 * simulation, drives it). Each network is a lane of its own, with its own role:
 * <ul>
 *   <li>holder: every {@code --interval} (jittered) a check from IMDS and the links, with no EC2 call
 *       while nothing is wrong; an ENI gone means standby;</li>
 *   <li>standby: a look for a free ENI with jittered exponential backoff ({@code --standby-min} to
 *       {@code --standby-max}) — skipped while the Node watch shows a holder in the zone, so a fleet of
 *       standbys costs no EC2 calls — and within 0–2 s when a Node of the zone loses the network's label;</li>
 *   <li>leaving: IMDS announces a spot interruption or an Auto Scaling termination: release every network
 *       at once, so standbys take over while this instance still exists, and take nothing again.</li>
 * </ul>
 * A lane's failure (EC2 refusing, the attachment limit, a name taken) is logged and retried for that lane
 * alone: one network's trouble never stops another's.
 */
public final class NodeAgent {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    /** How often IMDS is asked whether the instance is about to go (a spot notice gives two minutes). */
    static final Duration LEAVE_POLL = Duration.ofSeconds(5);
    static final Duration TRIGGER_JITTER = Duration.ofSeconds(2);
    /**
     * While the zone's ENI is detaching, or its holder has said it lets go: how often, and how many times, the
     * claimer looks again.
     */
    static final Duration FREEING_PAUSE = Duration.ofMillis(500);
    static final int FREEING_LOOKS = 20;

    public enum Role { HOLDER, STANDBY, LEAVING }

    private final List<Lane> lanes;
    private final Imds imds;
    private final Optional<LabelLoop> labels;
    private final Config config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Random random;
    private final NodeEvents events;
    private final Consumer<StatusChange> onStatus;
    private String status = "starting";
    /** The last problem of the node's own (IMDS's leaving notices), logged once until it clears. */
    private String nodeProblem;
    /** Where the Kubernetes thread leaves word of a release in the zone. */
    private final Wakeups wakeups;

    /**
     * A change of what the node is doing, as systemd's STATUS= says it.
     *
     * @param text e.g. {@code holding eni-… as multus}, {@code standby: …}; with several networks, each
     *     network's, e.g. {@code multus: holding eni-…; multus-sig: standby: …}
     * @param logged whether the change was already logged where it happened (then only STATUS= is left to say)
     */
    public record StatusChange(String text, boolean logged) {}

    /**
     * @param reconcilers one per network, the default network's first
     * @param onStatus told every change of state
     * @param wakeups what the label loop tells of releases in the zone (the same the loop waits on)
     */
    public NodeAgent(List<EniReconciler> reconcilers, Imds imds, Optional<LabelLoop> labels, Config config,
                     Clock clock, Sleeper sleeper, Random random, NodeEvents events, Consumer<StatusChange> onStatus, Wakeups wakeups) {
        this.sleeper = sleeper;
        this.imds = imds;
        this.labels = labels;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.events = events;
        this.onStatus = onStatus;
        this.wakeups = wakeups;
        this.lanes = reconcilers.stream().map(Lane::new).toList();
        // Every lane starts as a standby: reported so, in order, the metrics and daemon.json list the default
        // network first even when its boot fails before it reports anything.
        lanes.forEach(l -> events.standby(l.network.id()));
    }

    /** The default network's role. */
    public Role role() {
        return lanes.get(0).role;
    }

    /** The role for one network, by its id. */
    public Role role(String networkId) {
        return lanes.stream().filter(l -> l.network.id().equals(networkId)).findFirst().orElseThrow().role;
    }

    public String status() {
        return status;
    }

    /** The boot phase: adopt or attach within {@code --boot-wait}. */
    public void boot() throws InterruptedException {
        boot(config.get(Settings.BOOT_WAIT));
    }

    /**
     * The boot phase with another wait: zero for a reload's reconcile-now (adopt, rename, re-tag). Every
     * network in turn, so their attachments never race each other for a device index.
     *
     * @throws ReconcileFailure when every network failed in a way waiting cannot help (denied, at the
     *     limit): exit 1. With one network of several failing, that network retries on its own.
     */
    public void boot(Duration lookFor) throws InterruptedException {
        Map<Lane, RuntimeException> failures = new LinkedHashMap<>();
        for (Lane lane : lanes) {
            try {
                lane.boot(lookFor);
            } catch (RuntimeException e) {
                if (classify(e) != Verdict.NEEDS_FIXING) {
                    throw e; // IMDS or the links failing at boot: the unit's restart is the retry
                }
                failures.put(lane, e);
            }
        }
        if (failures.size() == lanes.size()) {
            failures.forEach((lane, e) -> events.happened(new Happening.Failed(lane.network.id(),
                    String.valueOf(e.getMessage()))));
            throw failures.values().iterator().next();
        }
        failures.forEach(Lane::failed);
    }

    /** One pass. @return how long until the next, unless woken */
    public Duration step() throws InterruptedException {
        boolean stepLanes = true;
        try {
            if (lanes.stream().anyMatch(l -> l.role != Role.LEAVING)) {
                Optional<String> leaving = imds.leaving();
                if (leaving.isPresent()) {
                    leave(leaving.get());
                    stepLanes = false;
                }
            }
            if (nodeProblem != null) {
                log.info("working again");
                nodeProblem = null;
            }
        } catch (RuntimeException e) {
            // IMDS unreachable, or the release refused: the node's problem, said and counted once; every lane
            // keeps its state and tries again
            events.error(kindOf(e));
            nodeProblem = warnOnce(e, nodeProblem, "");
            lanes.forEach(Lane::retryLater);
            stepLanes = false;
        }
        if (stepLanes) {
            for (Lane lane : lanes) {
                lane.step();
            }
        }
        return lanes.stream().map(Lane::untilNext).min(Duration::compareTo).orElse(config.get(Settings.INTERVAL));
    }

    /**
     * Releases every network: the labels first (bounded, never throws), then every network's ENI at once, each on
     * a thread of its own — so that all are released within one detach timeout, the time the stop hook and systemd
     * allow, and one network's failure never keeps another's ENI.
     *
     * @throws RuntimeException the first release that failed, once all were tried
     */
    public void release() throws InterruptedException {
        release("multus-eni is stopping");
    }

    /**
     * {@link #release()}, saying why in the Node's Events.
     *
     * @param why e.g. {@code multus-eni is stopping}
     */
    public void release(String why) throws InterruptedException {
        for (Lane lane : lanes) {
            lane.reconciler.held().ifPresent(h -> events.happened(new Happening.Released(lane.network.id(),
                    h.eniId(), why)));
        }
        labels.ifPresent(LabelLoop::stopAndUnlabel); // after the Events: the Kubernetes thread writes them first
        Map<Lane, RuntimeException> failed = new ConcurrentHashMap<>();
        List<Thread> releasing = new ArrayList<>();
        for (Lane lane : lanes) {
            Thread t = new Thread(() -> {
                try {
                    lane.reconciler.release();
                } catch (RuntimeException e) {
                    log.error("could not release {}: {}", lane.describe(), e.getMessage());
                    failed.put(lane, e);
                } catch (InterruptedException e) {
                    failed.put(lane, new IllegalStateException("interrupted while releasing " + lane.describe()));
                }
            }, "multus-eni-release-" + lane.network.id());
            releasing.add(t);
            t.start();
        }
        try {
            for (Thread t : releasing) {
                t.join();
            }
        } catch (InterruptedException e) {
            releasing.forEach(Thread::interrupt);
            throw e;
        }
        Optional<RuntimeException> first = lanes.stream().map(failed::get).filter(Objects::nonNull).findFirst();
        if (first.isPresent()) {
            throw first.get();
        }
    }

    private void leave(String why) throws InterruptedException {
        log.warn("instance is leaving ({}): releasing {} now so other nodes take {}", why,
                lanes.size() == 1 ? "the ENI" : "every network's ENI", lanes.size() == 1 ? "it" : "them");
        for (Lane lane : lanes) {
            lane.role = Role.LEAVING;
            events.leaving(lane.network.id());
            lane.status = "leaving: " + why;
        }
        changed(true); // logged with its reason just above
        release("the instance is leaving (" + why + ")");
    }

    /** STATUS= for the whole node: the one network's, or each network's named by its interface. */
    private void changed(boolean logged) {
        String now = lanes.size() == 1 ? lanes.get(0).status
                : lanes.stream().map(l -> l.network.interfaceName() + ": " + l.status).collect(Collectors.joining("; "));
        if (!now.equals(status)) {
            status = now;
            onStatus.accept(new StatusChange(now, logged));
        }
    }

    /** Logs the problem unless it is the one last logged. @return the problem, to pass next time */
    private static String warnOnce(RuntimeException e, String last, String prefix) {
        String problem = String.valueOf(e.getMessage());
        if (!problem.equals(last)) {
            log.warn("{}{} (keeping the state; trying again in at most {})", prefix, problem,
                    Durations.format(LEAVE_POLL));
        }
        return problem;
    }

    /** What a lane's failure means: decided here once, for the boot, the steps and what STATUS= says. */
    enum Verdict {
        /** EC2 throttled or down, IMDS, the links or Kubernetes failing: keep the state and try again later. */
        RETRY,
        /** Denied, at the attachment limit, the name taken, no guarded ENI: waiting alone cannot help; say why. */
        NEEDS_FIXING
    }

    static Verdict classify(RuntimeException e) {
        return e instanceof ReconcileFailure || e instanceof AwsFailure f && f.kind() != AwsFailure.Kind.OTHER
                ? Verdict.NEEDS_FIXING : Verdict.RETRY;
    }

    private static String kindOf(RuntimeException e) {
        return e instanceof AwsFailure f ? "ec2_" + f.kind().name().toLowerCase()
                : e instanceof ImdsFailure ? "imds" : e instanceof LinkFailure ? "links"
                : e instanceof KubeFailure ? "kube" : e instanceof ReconcileFailure ? "reconcile" : "other";
    }

    /** The interval with ±10 % jitter, so a fleet's checks spread out. */
    private Instant jittered(Instant from, Duration interval) {
        long ms = interval.toMillis();
        return from.plusMillis(ms - ms / 10 + random.nextLong(ms / 5 + 1));
    }

    private static boolean due(Instant at, Instant now) {
        return at != null && !now.isBefore(at);
    }

    /** One network's life: its role, its timers and its last problem. Touched by the agent's thread only. */
    private final class Lane {
        final EniReconciler reconciler;
        final Network network;
        /** Read by status and tests from other threads; written by the agent's thread only. */
        volatile Role role = Role.STANDBY;
        String status = "starting";
        Instant nextCheck = Instant.MIN;
        Instant nextLook = Instant.MIN;
        Backoff backoff;
        Instant triggeredLook;
        /**
         * When EC2 is asked again however busy the Nodes say the zone is: a jittered --standby-max after the boot's
         * or the last look's answer.
         */
        Instant ec2LookDue = Instant.MIN;
        String lastProblem;
        /** The release in the zone that woke the look under way: a takeover, should it take that very ENI. */
        Wakeups.Release lastRelease;

        Lane(EniReconciler reconciler) {
            this.reconciler = reconciler;
            this.network = reconciler.network();
        }

        String describe() {
            return network.isDefault() ? "the ENI of " + network.interfaceName()
                    : "the ENI of network " + network.id() + " (" + network.interfaceName() + ")";
        }

        void boot(Duration lookFor) throws InterruptedException {
            Instant start = clock.instant();
            Outcome outcome;
            try {
                outcome = reconciler.acquire(lookFor, true, EniReconciler.Patience.WHILE_WORTH_IT);
            } catch (AwsFailure f) {
                if (classify(f) == Verdict.NEEDS_FIXING) {
                    throw f; // denied, or at the limit: waiting will not help, say so
                }
                // Throttled past the SDK's retries, 5xx, unreachable: a fleet booting at once. Go on as a
                // standby that backs off, rather than exit and come back in step with everyone else.
                failed(f);
                outcome = new Outcome.NoneFree("EC2 did not answer (" + f.getMessage() + ")");
            }
            if (outcome instanceof Outcome.Holding) {
                events.bootAttach(network.id(), Duration.between(start, clock.instant()));
            }
            took(outcome, start);
            if (role == Role.STANDBY && nextLook.equals(Instant.MIN)) {
                // The boot has just looked: the first standby look waits its backoff like every later one.
                nextLook = clock.instant().plus(nextBackoff());
            }
        }

        void step() throws InterruptedException {
            Instant now = clock.instant();
            try {
                Optional<Wakeups.Release> release = wakeups.takeZoneRelease(network);
                release.ifPresent(r -> log.debug("{}: node {} let go of {} (as a {}, {})", network.id(), r.node(),
                        Optional.ofNullable(r.eniId()).orElse("an ENI its annotation did not name"),
                        role.name().toLowerCase(), role == Role.STANDBY ? "looking within "
                                + Durations.format(TRIGGER_JITTER) : "nothing to do"));
                if (release.isPresent() && role == Role.STANDBY) {
                    // A Node of the zone let go of this network's ENI: look within 0-2 s, jittered so the zone's
                    // standbys do not all ask EC2 at once.
                    triggeredLook = now.plusMillis(random.nextLong(TRIGGER_JITTER.toMillis() + 1));
                    lastRelease = release.get();
                }
                if (role == Role.HOLDER && !now.isBefore(nextCheck)) {
                    check();
                } else if (role == Role.STANDBY && (!now.isBefore(nextLook) || due(triggeredLook, now))) {
                    look(due(triggeredLook, now));
                }
                recovered();
            } catch (RuntimeException e) {
                failed(e); // EC2, IMDS or Kubernetes unreachable, or refusing: keep the state, try again later
            }
        }

        private void check() {
            Optional<Held> before = reconciler.held();
            EniReconciler.Check checked = reconciler.checkHolding();
            EniReconciler.Health health = checked.health();
            String eniId = before.map(Held::eniId).orElse("the ENI");
            if (checked.imdsLagged()) {
                events.imdsLag();
                events.happened(new Happening.ImdsLag(network.id(), eniId));
            }
            events.reconciled();
            nextCheck = jittered(clock.instant(), config.get(Settings.INTERVAL));
            if (health == EniReconciler.Health.LOST) {
                events.happened(new Happening.Lost(network.id(), eniId));
                labels.ifPresent(LabelLoop::kick);
                standby("the ENI was detached behind its back; looking for another");
                nextLook = clock.instant();
            } else if (health == EniReconciler.Health.CHANGED) {
                labels.ifPresent(LabelLoop::kick);
                reconciler.held().ifPresent(h -> {
                    if (h.interfacePlace() == Place.MISNAMED) {
                        events.happened(new Happening.Misnamed(network.id(), h.eniId(), network.interfaceName()));
                    }
                    holding(h);
                });
            }
        }

        private void look(boolean triggered) throws InterruptedException {
            Instant start = clock.instant();
            triggeredLook = null;
            if (labels.flatMap(l -> l.zoneBusy(network)).orElse(false)) {
                // The watch shows the zone's ENI held, or being taken: looking would mostly spend EC2 calls. But
                // labels and claims are hints (a holder that could not unlabel leaves its label behind): EC2 is
                // asked all the same once per longest backoff, so a stale label never strands a free ENI.
                Instant now = clock.instant();
                if (now.isBefore(ec2LookDue)) {
                    Instant backedOff = now.plus(nextBackoff());
                    nextLook = backedOff.isBefore(ec2LookDue) ? backedOff : ec2LookDue;
                    log.debug("{}: not asking EC2, the Nodes say the zone's ENI is held or being taken; looking again"
                            + " in {}", network.id(), Durations.format(Duration.between(now, nextLook)));
                    return;
                }
                log.info("the Nodes say {} in {} is held or being taken; asking EC2 all the same, as every {}",
                        describe(), reconciler.zone(), Durations.format(config.get(Settings.STANDBY_MAX)));
            }
            if (triggered) {
                log.info("a Node in {} released {}; looking now", reconciler.zone(), describe());
            }
            labels.ifPresent(l -> l.claim(network, true));
            // The holder that let go unlabels before it detaches (no pod is scheduled onto an interface about to
            // go), so a look woken by its release may come before the detach has begun: the ENI still in use.
            boolean announced = triggered && lastRelease != null && lastRelease.eniId() != null;
            Outcome outcome;
            try {
                outcome = reconciler.acquire(Duration.ZERO, false, EniReconciler.Patience.WHILE_WORTH_IT);
                // An ENI on its way out (being detached, or announced by its holder and not yet claimed by another
                // standby): keep the claim and look again shortly, rather than back off or hand the zone to every
                // other standby in turn.
                for (int i = 0; i < FREEING_LOOKS && outcome instanceof Outcome.NoneFree n && (n.freeing()
                        || announced && !labels.flatMap(l -> l.zoneBusy(network)).orElse(false)); i++) {
                    sleeper.sleep(FREEING_PAUSE);
                    outcome = reconciler.acquire(Duration.ZERO, false, EniReconciler.Patience.WHILE_WORTH_IT);
                }
            } finally {
                labels.ifPresent(l -> l.claim(network, false));
            }
            events.reconciled();
            took(outcome, start);
            if (role == Role.STANDBY) {
                nextLook = clock.instant().plus(nextBackoff());
            }
        }

        /** @param start when the boot or look that ended so began */
        private void took(Outcome outcome, Instant start) {
            ec2LookDue = jittered(clock.instant(), config.get(Settings.STANDBY_MAX));
            Wakeups.Release release = lastRelease;
            lastRelease = null;
            if (outcome instanceof Outcome.Holding h) {
                if (release == null) {
                    // Seen while this look was under way (it began on its backoff just as the holder let go).
                    release = wakeups.takeZoneRelease(network).orElse(null);
                }
                String from = release != null && h.held().eniId().equals(release.eniId()) ? release.node() : null;
                events.happened(h.attached()
                        ? new Happening.Attached(network.id(), h.held(), network.interfaceName(),
                                Duration.between(start, clock.instant()), from)
                        : new Happening.Adopted(network.id(), h.held(), network.interfaceName()));
                role = Role.HOLDER;
                backoff = null;
                nextCheck = jittered(clock.instant(), config.get(Settings.INTERVAL));
                labels.ifPresent(LabelLoop::kick); // labelled within a second of the interface being named
                holding(h.held());
            } else if (outcome instanceof Outcome.DryRun d) {
                role = Role.LEAVING; // a dry run takes nothing and looks no further
                said("dry run: " + d.plan(), false);
            } else {
                String why = ((Outcome.NoneFree) outcome).reason();
                events.happened(new Happening.Standby(network.id(), why));
                standby(why);
            }
        }

        /** Says what is held and where its interface is (systemd's STATUS=, the metrics, daemon.json). */
        private void holding(Held held) {
            events.holding(network.id(), held.eniId(), network.interfaceName(), held.interfacePlace());
            said("holding " + held.eniId() + " as " + network.interfaceName() + switch (held.interfacePlace()) {
                case HOST -> "";
                case POD -> " (a pod has it)";
                case MISNAMED -> " (not under its name: the label is off until that is fixed)";
            }, true); // the reconciler logged what it holds and where
        }

        private void standby(String reason) {
            role = Role.STANDBY;
            events.standby(network.id());
            said("standby: " + reason, false);
        }

        private void said(String now, boolean logged) {
            status = now;
            changed(logged);
        }

        private Duration nextBackoff() {
            if (backoff == null) {
                backoff = new Backoff(config.get(Settings.STANDBY_MIN), config.get(Settings.STANDBY_MAX), random);
            }
            return backoff.next();
        }

        Duration untilNext() {
            Instant now = clock.instant();
            Instant next = now.plus(LEAVE_POLL);
            Instant planned = switch (role) {
                case HOLDER -> nextCheck;
                case STANDBY -> triggeredLook != null && triggeredLook.isBefore(nextLook) ? triggeredLook : nextLook;
                case LEAVING -> now.plus(config.get(Settings.INTERVAL));
            };
            if (role != Role.LEAVING && planned.isBefore(next)) {
                next = planned;
            }
            Duration wait = Duration.between(now, next);
            return wait.isNegative() ? Duration.ZERO : wait;
        }

        void failed(RuntimeException e) {
            events.error(network.id(), kindOf(e));
            if (classify(e) == Verdict.NEEDS_FIXING) {
                events.happened(new Happening.Failed(network.id(), String.valueOf(e.getMessage())));
            }
            lastProblem = warnOnce(e, lastProblem, lanes.size() == 1 ? "" : network.interfaceName() + ": ");
            retryLater();
            if (role == Role.STANDBY && classify(e) == Verdict.NEEDS_FIXING) {
                said("standby: " + lastProblem, true); // e.g. the attachment limit: the reason it holds nothing
            }
        }

        /** After a failure: a standby looks again after its backoff, a holder checks again shortly. */
        void retryLater() {
            if (role == Role.STANDBY) {
                nextLook = clock.instant().plus(nextBackoff());
            } else if (role == Role.HOLDER) {
                nextCheck = clock.instant().plus(LEAVE_POLL);
            }
        }

        private void recovered() {
            if (lastProblem != null) {
                log.info("{}working again", lanes.size() == 1 ? "" : network.interfaceName() + ": ");
                lastProblem = null;
            }
        }
    }
}
