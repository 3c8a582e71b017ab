package io.multuseni.eni;

import io.multuseni.aws.AwsFailure;
import io.multuseni.aws.Ec2;
import io.multuseni.aws.Eni;
import io.multuseni.aws.Imds;
import io.multuseni.config.Durations;
import io.multuseni.net.InterfaceFiles;
import io.multuseni.net.Links;
import io.multuseni.node.Held;
import io.multuseni.node.NetworkContext;
import io.multuseni.node.NodeContext;
import io.multuseni.node.OwnNetwork;
import io.multuseni.node.ReconcileFailure;
import io.multuseni.node.Sleeper;
import io.multuseni.node.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EC2 and link helpers one network's acquire, check and release share: the edges, what they are about (this
 * instance, this network), and the few rules every part applies the same way (the node's own network is never
 * ours, a name held by another interface is never taken, a failure says what to do about it).
 */
final class EniOps {
    private static final Logger log = LoggerFactory.getLogger(EniOps.class);
    final Ec2 ec2;
    final Imds imds;
    final Links links;
    final InterfaceFiles files;
    final StateFile state;
    final EniSettings settings;
    final NodeContext node;
    final NetworkContext net;
    final Clock clock;
    final Sleeper sleeper;
    /** The instance's primary MAC once IMDS has listed it. */
    private volatile String primaryMac;
    /** The node's own ENIs already warned about (a handful at most). */
    private final Set<String> refusedOwn = ConcurrentHashMap.newKeySet();

    EniOps(Ec2 ec2, Imds imds, Links links, InterfaceFiles files, StateFile state, EniSettings settings,
           NodeContext node, NetworkContext net, Clock clock, Sleeper sleeper) {
        this.ec2 = ec2;
        this.imds = imds;
        this.links = links;
        this.files = files;
        this.state = state;
        this.settings = settings;
        this.node = node;
        this.net = net;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    String instanceId() {
        return node.instanceId();
    }

    String interfaceName() {
        return net.interfaceName();
    }

    /** "network sig (multus-sig)", or "network multus" for the default network: what a log line names. */
    String describeNetwork() {
        return net.network().isDefault() ? "network " + net.interfaceName()
                : "network " + net.network().id() + " (" + net.interfaceName() + ")";
    }

    /** The ENI as EC2 describes it now; empty when EC2 no longer knows it. */
    Optional<Eni> describe(String eniId) {
        try {
            return ec2.describeNetworkInterfaces(Map.of("network-interface-id", eniId)).stream().findFirst();
        } catch (AwsFailure f) {
            if (f.kind() == AwsFailure.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw f;
        }
    }

    /** Every ENI attached (or attaching, or detaching) to this instance, whoever's it is. */
    List<Eni> onInstance() {
        return ec2.describeNetworkInterfaces(Map.of("attachment.instance-id", instanceId()));
    }

    /** This network's ENIs among those on the instance: matching the selector, and not the node's own. */
    List<Eni> oursOnInstance() {
        return onInstance().stream().filter(net.selector()::matches).filter(this::notTheNodesOwn).toList();
    }

    /**
     * Whether the ENI may be multus-eni's: never the node's own network ({@link OwnNetwork}), whatever its tags. Said
     * once per ENI, as a warning: its tags are a mistake to fix.
     */
    boolean notTheNodesOwn(Eni eni) {
        Optional<String> why = OwnNetwork.why(eni, primaryMac());
        if (why.isPresent() && refusedOwn.add(eni.id())) {
            log.warn("{} carries the tags of {} but is never used: {}. Remove those tags from it.", eni,
                    describeNetwork(), why.get());
        }
        return why.isEmpty();
    }

    /** The instance's primary MAC, from IMDS once (it never changes); empty while IMDS does not list it. */
    private Optional<String> primaryMac() {
        if (primaryMac == null) {
            primaryMac = imds.primaryMac().orElse(null);
        }
        return Optional.ofNullable(primaryMac);
    }

    RuntimeException explain(AwsFailure f, Eni eni) {
        return explain(f, eni + ", instance " + instanceId());
    }

    /**
     * A failed call said with what it was about. Denied and at the limit are failures waiting cannot mend, with what
     * to do; anything else (throttled past the SDK's retries, 5xx, unreachable, interrupted) stays an
     * {@link AwsFailure} of its kind, which the agent retries quietly.
     *
     * @param on what the call was about, e.g. "eni-… (…), instance i-…"
     */
    RuntimeException explain(AwsFailure f, String on) {
        return switch (f.kind()) {
            case UNAUTHORIZED -> new ReconcileFailure("not allowed to call ec2:" + f.action() + " (on " + on + "): "
                    + f.getMessage() + ". Grant ec2:" + f.action() + " to the node's instance role.", f);
            case LIMIT -> new ReconcileFailure("instance " + instanceId() + " cannot take another network interface"
                    + " for " + describeNetwork() + " (" + f.getMessage() + "). Use an instance type with more ENIs,"
                    + " or free a device slot.", f);
            default -> f.about(on);
        };
    }

    /** @throws ReconcileFailure when another interface (another MAC) holds the network's name */
    void refuseIfNameHeldByOther(String eni, String mac) {
        Optional<String> holderMac = links.macOf(net.interfaceName());
        if (holderMac.isPresent() && !holderMac.get().equalsIgnoreCase(mac)) {
            throw new ReconcileFailure("interface name '" + net.interfaceName() + "' is held by another interface"
                    + " (MAC " + holderMac.get() + "), not by " + eni + "; renamed nothing. Rename or remove that"
                    + " interface, or choose another --interface-name.");
        }
    }

    /** Detaches and waits (bounded) until the ENI is available for another node. */
    void detach(Eni eni) throws InterruptedException {
        Eni.Attachment a = eni.attachment().orElseThrow();
        if (a.isActive()) {
            log.info("detaching {} from instance {} ({})", eni, instanceId(), a.id());
            try {
                ec2.detachNetworkInterface(a.id());
            } catch (AwsFailure f) {
                if (f.kind() != AwsFailure.Kind.NOT_FOUND) {
                    throw explain(f, eni);
                }
            }
        }
        if (settings.dryRun()) {
            return;
        }
        try {
            waitFor(eni + " to become available", settings.detachTimeout(),
                    () -> describe(eni.id()).filter(e -> !e.isAttachedTo(instanceId())
                            && e.status() != Eni.State.DETACHING));
            log.info("released {}: it is available for another node", eni);
        } catch (ReconcileFailure timeout) {
            log.warn("{}; EC2 will finish the detach on its own", timeout.getMessage());
        }
    }

    /** Removes the instance tag where it says this instance holds an ENI. */
    void untag() {
        if (net.instanceTagValue().equals(ec2.instanceTags(instanceId()).get(net.instanceTagKey()))) {
            try {
                ec2.deleteTag(instanceId(), net.instanceTagKey(), net.instanceTagValue());
            } catch (AwsFailure f) {
                throw explain(f, "instance " + instanceId());
            }
            log.info("removed tag {} from instance {}", net.instanceTagKey(), instanceId());
        }
    }

    /** The network's report around what is held (what {@code status} prints and the state file keeps). */
    Status report(Optional<Held> held, boolean tagged) {
        return new Status(net.network().id(), instanceId(), node.identity().zone(), node.cluster().orElse(null),
                net.interfaceName(), held, tagged, node.nodeName(), null, null);
    }

    /** Polls with backoff (100 ms doubling to 2 s) until the check yields a value or the timeout passes. */
    <T> T waitFor(String what, Duration timeout, Supplier<Optional<T>> check) throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        Duration step = Duration.ofMillis(100);
        while (true) {
            Optional<T> value = check.get();
            if (value.isPresent()) {
                return value.get();
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new ReconcileFailure("gave up waiting for " + what + " after " + Durations.format(timeout));
            }
            sleeper.sleep(min(step, Duration.between(now, deadline)));
            step = min(step.multipliedBy(2), Duration.ofSeconds(2));
        }
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
