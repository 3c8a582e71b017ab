package io.multuseni.eni;

import io.multuseni.aws.Ec2;
import io.multuseni.aws.Eni;
import io.multuseni.aws.Imds;
import io.multuseni.config.Config;
import io.multuseni.config.Network;
import io.multuseni.config.Settings;
import io.multuseni.net.InterfaceFiles;
import io.multuseni.net.Links;
import io.multuseni.net.NodeadmCache;
import io.multuseni.node.Held;
import io.multuseni.node.NetworkContext;
import io.multuseni.node.NodeContext;
import io.multuseni.node.Outcome;
import io.multuseni.node.ReconcileFailure;
import io.multuseni.node.Sleeper;
import io.multuseni.node.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * One network's machine: which ENI this node holds for it, and the three things done about it — acquire
 * ({@link Acquisition}: adopt or attach, the race, rollback), the holder's check ({@link HolderCheck}: IMDS, the
 * place of the interface, the EC2 confirmation) and {@link Release} — over one set of EC2 and link helpers
 * ({@link EniOps}). It acts only through the {@link Ec2}, {@link Imds} and {@link Links} edges.
 */
public final class EniReconciler {
    private final EniOps ops;
    private final Acquisition acquisition;
    private final HolderCheck check;
    private final Release release;
    private final StatusProbe probe;
    /** What the last boot phase left this node holding; null when nothing (yet, or since the release). */
    private volatile Held held;

    /** How long a look for a free ENI goes on when it finds none at once. */
    public enum Patience {
        /** Until the wait has passed: the one-shot {@code attach}, whose caller wants an ENI or exit 75. */
        UNTIL_DEADLINE,
        /**
         * Only while there is something to wait for — a matching ENI of the zone is {@code detaching}, or a
         * race for a free one is under way — so a node that will be a standby never holds kubelet back.
         */
        WHILE_WORTH_IT
    }

    /** What a holder's check found. */
    public enum Health {
        /** Nothing changed. */
        HOLDING,
        /** Still held, and something changed: a name or tag repaired, or the interface moved (host, pod). */
        CHANGED,
        /** The ENI is no longer attached here (EC2 confirmed it): let go, labels and tags removed. */
        LOST
    }

    /**
     * A holder's check.
     *
     * @param held what is held after it; null when {@link Health#LOST}
     * @param imdsLagged IMDS no longer listed the ENI while EC2 had it attached (for the metrics)
     */
    public record Check(Health health, Held held, boolean imdsLagged) {}

    /**
     * The production parts for one network: its {@code .link}/{@code .network} files and its state file, under
     * the configured directories.
     */
    public static EniReconciler of(Ec2 ec2, Imds imds, Links links, Config config, NodeContext node, Network network,
                                   Clock clock, Sleeper sleeper, Random random) {
        return new EniReconciler(ec2, imds, links,
                new InterfaceFiles(config.get(Settings.NETWORK_CONFIG_DIR), config.get(Settings.DRY_RUN), network,
                        new NodeadmCache(config.get(Settings.NODEADM_CACHE_DIR), node.instanceId(), config.get(Settings.DRY_RUN))),
                new StateFile(config.get(Settings.STATE_DIR), config.get(Settings.DRY_RUN), network), EniSettings.of(config), node,
                node.of(network), clock, sleeper, random);
    }

    /** @param net the network this reconciler holds an ENI for; each network has its own reconciler */
    public EniReconciler(Ec2 ec2, Imds imds, Links links, InterfaceFiles files, StateFile state, EniSettings settings,
                         NodeContext node, NetworkContext net, Clock clock, Sleeper sleeper, Random random) {
        this.ops = new EniOps(ec2, imds, links, files, state, settings, node, net, clock, sleeper);
        this.acquisition = new Acquisition(ops, random);
        this.check = new HolderCheck(ops);
        this.release = new Release(ops);
        this.probe = new StatusProbe(ops);
    }

    public String zone() {
        return ops.node.identity().zone();
    }

    public Network network() {
        return ops.net.network();
    }

    /** The one-shot {@code attach}: looks for a free ENI for up to {@code --boot-wait}. */
    public Outcome acquire() throws InterruptedException {
        return acquire(ops.settings.bootWait(), true, Patience.UNTIL_DEADLINE);
    }

    /**
     * Adopt an ENI this instance already holds (EC2 says so, whatever IMDS shows yet), or attach a free
     * one, then make its interface carry the configured name and tag the instance — which also repairs a
     * wrong name or a missing tag. Looks again with backoff while {@code patience} says so, at most until
     * {@code lookFor} has passed (zero: one look).
     *
     * @param thorough whether to ask EC2 which device indices are taken even when IMDS shows nothing but the
     *     primary interface: at boot, where another attach may still be {@code attaching} (which IMDS does not
     *     show); a standby's look trusts IMDS for that and saves the call
     * @throws ReconcileFailure when going on cannot help (IAM denial, attachment limit, the name held by
     *     another interface, an attachment that never completes); anything this call attached is detached
     */
    public Outcome acquire(Duration lookFor, boolean thorough, Patience patience) throws InterruptedException {
        Outcome outcome = acquisition.acquire(lookFor, thorough, patience);
        if (outcome instanceof Outcome.Holding h) {
            check.confirmed(h.held());
            held = h.held();
        }
        return outcome;
    }

    /**
     * A holder's periodic check, from IMDS and the links alone — no EC2 call while nothing changes: the
     * ENI still attached (IMDS lists its MAC with its id), its interface on the host and named right
     * (renamed back if not) or in a pod, the instance tag present (where IMDS shows instance tags;
     * re-created if not).
     *
     * <p>IMDS is a cache that lags both ways (it can omit an attached ENI and keep listing a detached one), and
     * an interface missing from the host is most often in a pod. So when IMDS or the links first suggest the
     * ENI is gone, one DescribeNetworkInterfaces decides: still attached here means keep everything; detached
     * means let go (state, files and instance tag removed).
     */
    public Check checkHolding() {
        Held h = held;
        if (h == null) {
            return new Check(Health.LOST, null, false);
        }
        Check result = check.check(h);
        held = result.held();
        return result;
    }

    /**
     * Releases what this instance holds: detaches every ENI that matches the selector and is attached
     * here (never device index 0), waits for each to become available, removes the instance tag and
     * the files. Idempotent: holding nothing is a success.
     *
     * @return the ENIs released
     */
    public List<Eni> release() throws InterruptedException {
        held = null;
        return release.release();
    }

    /** The ENI this process attached or adopted and has not released. */
    public Optional<Held> held() {
        return Optional.ofNullable(held);
    }

    /** What EC2 and the links say this instance holds for the network now (for {@code status}; not the daemon's view). */
    public Status status() {
        return probe.now();
    }
}
