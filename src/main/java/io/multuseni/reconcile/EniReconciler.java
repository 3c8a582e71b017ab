package io.multuseni.reconcile;

import io.multuseni.aws.AwsFailure;
import io.multuseni.aws.Ec2;
import io.multuseni.aws.Eni;
import io.multuseni.aws.Imds;
import io.multuseni.config.Config;
import io.multuseni.config.Network;
import io.multuseni.config.Durations;
import io.multuseni.net.Links;
import io.multuseni.net.InterfaceFiles;
import io.multuseni.net.NodeadmCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions: which ENI to hold, when to attach, rename, tag and release. It observes through the
 * {@link Ec2} and {@link Links} edges and acts through them; it never calls the SDK or iproute2 itself.
 */
public final class EniReconciler {
    private static final Logger log = LoggerFactory.getLogger(EniReconciler.class);
    /** The VPC CNI's own CNI configuration, which aws-node writes where it runs. */
    static final String VPC_CNI_CONFIG = "10-aws.conflist";
    /** A lost device-index race is retried this often on the same ENI before moving on. */
    private static final int DEVICE_INDEX_RETRIES = 3;

    private final Ec2 ec2;
    private final Imds imds;
    private final Links links;
    private final InterfaceFiles files;
    private final StateFile state;
    private final Config config;
    private final NodeContext node;
    private final NetworkContext net;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Random random;
    /** What the last boot phase left this node holding; null when nothing (yet, or since the release). */
    private volatile Held held;
    /** The instance's primary MAC once IMDS has listed it. */
    private volatile String primaryMac;
    /** The node's own ENIs already warned about (a handful at most). */
    private final Set<String> refusedOwn = ConcurrentHashMap.newKeySet();

    /**
     * The production parts for one network: its {@code .link}/{@code .network} files and its state file, under
     * the configured directories.
     */
    public static EniReconciler of(Ec2 ec2, Imds imds, Links links, Config config, NodeContext node, Network network,
                                   Clock clock, Sleeper sleeper, Random random) {
        return new EniReconciler(ec2, imds, links,
                new InterfaceFiles(config.networkConfigDir(), config.dryRun(), network,
                        new NodeadmCache(config.nodeadmCacheDir(), node.instanceId(), config.dryRun())),
                new StateFile(config.stateDir(), config.dryRun(), network), config, node, node.of(network), clock,
                sleeper, random);
    }

    /** @param net the network this reconciler holds an ENI for; each network has its own reconciler */
    public EniReconciler(Ec2 ec2, Imds imds, Links links, InterfaceFiles files, StateFile state, Config config,
                         NodeContext node, NetworkContext net, Clock clock, Sleeper sleeper, Random random) {
        this.ec2 = ec2;
        this.imds = imds;
        this.links = links;
        this.files = files;
        this.state = state;
        this.config = config;
        this.node = node;
        this.net = net;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
    }

    private String instanceId() {
        return node.instanceId();
    }

    String zone() {
        return node.identity().zone();
    }

    public Network network() {
        return net.network();
    }

    // ---------------------------------------------------------------- boot

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

    /** The one-shot {@code attach}: looks for a free ENI for up to {@code --boot-wait}. */
    public Outcome acquire() throws InterruptedException {
        return acquire(config.bootWait(), true, Patience.UNTIL_DEADLINE);
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
        Instant deadline = clock.instant().plus(lookFor);
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), random);
        files.claimName(net.interfaceName()); // at boot and at every look: a file read once claimed
        while (true) {
            // All the zone's matching ENIs, whatever their status: one call tells which is already ours, which
            // is free, and which is on its way out.
            List<Eni> matching = ec2.describeNetworkInterfaces(net.selector().filters()).stream()
                    .filter(net.selector()::matches) // the filters are EC2's; the selector is ours
                    .filter(this::notTheNodesOwn)
                    .toList();
            Optional<Eni> held = matching.stream().filter(e -> e.isAttachedTo(instanceId()))
                    .min(Comparator.comparingInt(e -> e.attachment().orElseThrow().deviceIndex()));
            if (held.isPresent()) {
                log.info("adopting {}: already attached to instance {} at device index {}", held.get(),
                        instanceId(), held.get().attachment().orElseThrow().deviceIndex());
                return config.dryRun() ? new Outcome.DryRun("would keep " + held.get() + ", make sure its interface"
                        + " is named " + net.interfaceName() + " and tag the instance") : finish(held.get(), false);
            }
            List<Eni> candidates = new ArrayList<>(matching.stream().filter(e -> e.status().equals("available"))
                    .toList());
            refuseWhatTheVpcCniWouldTake(candidates);
            boolean freeing = matching.stream().anyMatch(e -> e.status().equals("detaching"));
            Collections.shuffle(candidates, random);
            String why;
            if (candidates.isEmpty()) {
                why = "no free ENI matches " + net.selector() + (matching.isEmpty() ? ""
                        : " (" + matching.size() + " held elsewhere" + (freeing ? ", one being detached" : "") + ")");
            } else {
                log.info("{} free ENI(s) match {}: {}", candidates.size(), net.selector(), candidates);
                List<Imds.AttachedInterface> fromImds = imds.interfaces();
                List<Eni> onInstance = thorough || fromImds.stream().anyMatch(i -> i.deviceNumber() != 0)
                        ? onInstance() : List.of();
                for (Eni candidate : candidates) {
                    if (tryAttach(candidate, usedDeviceIndices(fromImds, onInstance))) {
                        if (config.dryRun()) {
                            return new Outcome.DryRun("would attach " + candidate + " to " + instanceId()
                                    + ", name its interface " + net.interfaceName() + " and tag the instance "
                                    + net.instanceTagKey() + "=" + net.instanceTagValue());
                        }
                        try {
                            return finish(candidate, true);
                        } catch (StuckAttachment stuck) {
                            log.warn("{}; it was detached again, trying the next ENI", stuck.getMessage());
                        }
                    }
                }
                why = "no free ENI could be taken (another node was first, or the attachment never completed)";
            }
            Instant now = clock.instant();
            // A race just lost may yet free the ENI (the winner's attach can fail); an ENI detaching will be free.
            boolean worthWaiting = freeing || !candidates.isEmpty();
            if (!now.isBefore(deadline) || patience == Patience.WHILE_WORTH_IT && !worthWaiting) {
                boolean waited = !lookFor.isZero() && !now.isBefore(deadline);
                return new Outcome.NoneFree(why + (waited ? " (looked for " + Durations.format(lookFor) + ")" : ""),
                        freeing);
            }
            Duration wait = min(backoff.next(), Duration.between(now, deadline));
            log.info("{}; looking again in {}", why, Durations.format(wait));
            sleeper.sleep(wait);
        }
    }

    /**
     * Where the VPC CNI runs, it takes every attached ENI that lacks {@code no_manage=true} for pod IPs: such a
     * candidate is never attached (removed from the list, and said why). Elsewhere (Cilium, Calico…) the tag only
     * matters if the VPC CNI comes later, which {@link #finish} warns about.
     *
     * @throws ReconcileFailure when that leaves no candidate: the ENIs need the tag, and looking again cannot help
     */
    private void refuseWhatTheVpcCniWouldTake(List<Eni> candidates) {
        Path vpcCni = config.cniConfDir().resolve(VPC_CNI_CONFIG);
        List<Eni> unguarded = candidates.stream().filter(e -> !e.keptFromVpcCni()).toList();
        if (unguarded.isEmpty() || !Files.exists(vpcCni)) {
            return;
        }
        String why = unguarded + " lack the tag " + Eni.NO_MANAGE_TAG + "=true and the VPC CNI runs on this node ("
                + vpcCni + "): attached, it would take them for pod IPs. Tag them " + Eni.NO_MANAGE_TAG + "=true.";
        candidates.removeAll(unguarded);
        if (candidates.isEmpty()) {
            throw new ReconcileFailure("not attaching " + why);
        }
        log.error("not attaching {}", why);
    }

    /**
     * Whether the ENI may be multus-eni's: never the node's own network ({@link OwnNetwork}), whatever its tags. Said
     * once per ENI, as a warning: its tags are a mistake to fix.
     */
    private boolean notTheNodesOwn(Eni eni) {
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

    /** Every ENI attached (or attaching, or detaching) to this instance, whoever's it is. */
    private List<Eni> onInstance() {
        return ec2.describeNetworkInterfaces(Map.of("attachment.instance-id", instanceId()));
    }

    /** @return whether EC2 accepted the attach; false when another node took the ENI first */
    private boolean tryAttach(Eni candidate, Set<Integer> used) {
        refuseIfNameHeldByOther(candidate);
        for (int attempt = 1; ; attempt++) {
            int deviceIndex = lowestFreeDeviceIndex(used);
            // Before the attach, so udev names the interface the moment it is hot-plugged.
            files.write(candidate.mac(), net.interfaceName());
            try {
                String attachmentId = ec2.attachNetworkInterface(candidate.id(), instanceId(), deviceIndex);
                log.info("attaching {} to instance {} at device index {} ({})", candidate, instanceId(), deviceIndex,
                        attachmentId);
                return true;
            } catch (AwsFailure f) {
                files.remove();
                if (f.kind() != AwsFailure.Kind.CONFLICT) {
                    throw explain(f, candidate);
                }
                Optional<Eni> now = describe(candidate.id());
                if (now.isEmpty() || !now.get().status().equals("available")) {
                    log.info("{} was taken by another node first ({}); trying the next", candidate, f.code());
                    return false;
                }
                if (attempt >= DEVICE_INDEX_RETRIES) {
                    log.warn("{} is still free but attaching it failed {} times ({}); trying the next", candidate,
                            attempt, f.getMessage());
                    return false;
                }
                log.info("device index {} on instance {} was taken meanwhile ({}); trying again", deviceIndex,
                        instanceId(), f.getMessage());
                used = usedDeviceIndices(imds.interfaces(), onInstance());
            }
        }
    }

    /** Device indices on network card 0 in use: completed attachments (IMDS) and any EC2 listed. */
    private static Set<Integer> usedDeviceIndices(List<Imds.AttachedInterface> fromImds, List<Eni> onInstance) {
        Set<Integer> used = onInstance.stream().flatMap(e -> e.attachment().stream())
                .filter(a -> a.networkCardIndex() == 0)
                .map(Eni.Attachment::deviceIndex)
                .collect(Collectors.toSet());
        fromImds.stream().filter(i -> i.networkCard() == 0).forEach(i -> used.add(i.deviceNumber()));
        return used;
    }

    private static int lowestFreeDeviceIndex(Set<Integer> used) {
        int index = 1; // 0 is the primary interface, never ours
        while (used.contains(index)) {
            index++;
        }
        return index;
    }

    private ReconcileFailure explain(AwsFailure f, Eni eni) {
        return explain(f, eni + ", instance " + instanceId());
    }

    /** @param on what the call was about, e.g. "eni-… (…), instance i-…" */
    private ReconcileFailure explain(AwsFailure f, String on) {
        return switch (f.kind()) {
            case UNAUTHORIZED -> new ReconcileFailure("not allowed to call ec2:" + f.action() + " (on " + on + "): "
                    + f.getMessage() + ". Grant ec2:" + f.action() + " to the node's instance role.", f);
            case LIMIT -> new ReconcileFailure("instance " + instanceId() + " cannot take another network interface"
                    + " for " + describeNetwork() + " (" + f.getMessage() + "). Use an instance type with more ENIs,"
                    + " or free a device slot.", f);
            default -> new ReconcileFailure(f.getMessage() + " (" + on + ")", f);
        };
    }

    /** "network sig (multus-sig)", or "multus" for the default network: what a log line names. */
    private String describeNetwork() {
        return net.network().isDefault() ? "network " + net.interfaceName()
                : "network " + net.network().id() + " (" + net.interfaceName() + ")";
    }

    private void refuseIfNameHeldByOther(Eni eni) {
        refuseIfNameHeldByOther(eni.toString(), eni.mac());
    }

    private void refuseIfNameHeldByOther(String eni, String mac) {
        Optional<String> holderMac = links.macOf(net.interfaceName());
        if (holderMac.isPresent() && !holderMac.get().equalsIgnoreCase(mac)) {
            throw new ReconcileFailure("interface name '" + net.interfaceName() + "' is held by another interface"
                    + " (MAC " + holderMac.get() + "), not by " + eni + "; renamed nothing. Rename or remove that"
                    + " interface, or choose another --interface-name.");
        }
    }

    /** Waits for the attachment and the interface, names it, tags the instance; undoes its own attach on failure. */
    private Outcome finish(Eni eni, boolean attachedNow) throws InterruptedException {
        if (!eni.keptFromVpcCni()) {
            log.warn("{} lacks the tag {}=true: the VPC CNI may take it over for pod IPs. Tag the ENI.", eni,
                    Eni.NO_MANAGE_TAG);
        }
        Eni attached;
        try {
            attached = waitFor("the attachment of " + eni + " to instance " + instanceId() + " to complete",
                    config.attachTimeout(), () -> describe(eni.id())
                            .filter(e -> e.attachment().filter(a -> a.instanceId().equals(instanceId())
                                    && a.status().equals("attached")).isPresent()));
        } catch (ReconcileFailure stuck) {
            if (attachedNow) {
                rollback(eni, stuck);
            }
            throw new StuckAttachment(stuck.getMessage());
        }
        try {
            files.write(eni.mac(), net.interfaceName());
            Optional<String> current = attachedNow
                    ? Optional.of(waitFor("the interface with MAC " + eni.mac() + " (" + eni.id() + ") to appear",
                            config.attachTimeout(), () -> links.nameOf(eni.mac())))
                    : links.nameOf(eni.mac());
            String name = null;
            Place place = Place.POD;
            if (current.isPresent()) {
                name = ensureNamed(eni, current.get());
                links.upWithoutAddresses(name);
                place = Place.HOST;
            } else {
                log.info("the interface of {} is {}; keeping the attachment", eni, place.description);
            }
            tagInstance();
            Eni.Attachment a = attached.attachment().orElseThrow();
            Held now = new Held(eni.id(), eni.mac(), attached.privateIps(), attached.subnetId(), a.deviceIndex(),
                    a.id(), a.status(), name, name != null, place);
            state.write(report(Optional.of(now), true));
            // EC2 has just said it is attached: what IMDS shows from here on is measured against that.
            lastSighting = new Sighting(true, current.isPresent());
            held = now;
            log.info("holding {} as {} on instance {}", eni, name == null ? net.interfaceName() + " (in a pod)"
                    : name, instanceId());
            return new Outcome.Holding(now);
        } catch (RuntimeException e) {
            if (attachedNow) {
                rollback(eni, e);
            }
            throw e;
        }
    }

    /** Undoes this call's own attach: nothing half-done is left behind. */
    private void rollback(Eni eni, RuntimeException why) throws InterruptedException {
        log.error("could not finish attaching {} ({}); detaching it again", eni, why.getMessage());
        Optional<Eni> current = describe(eni.id()).filter(c -> c.isAttachedTo(instanceId()));
        if (current.isPresent()) {
            detach(current.get());
        }
        files.remove();
        untag(); // the tag may have been set before what failed (writing the state, say)
    }

    /** Removes the instance tag where it says this instance holds an ENI. */
    private void untag() {
        if (net.instanceTagValue().equals(ec2.instanceTags(instanceId()).get(net.instanceTagKey()))) {
            try {
                ec2.deleteTag(instanceId(), net.instanceTagKey(), net.instanceTagValue());
            } catch (AwsFailure f) {
                throw explain(f, "instance " + instanceId());
            }
            log.info("removed tag {} from instance {}", net.instanceTagKey(), instanceId());
        }
    }

    /** An attachment that never left {@code attaching}: it was detached again; another ENI may do. */
    static final class StuckAttachment extends RuntimeException {
        StuckAttachment(String message) {
            super(message);
        }
    }

    private String ensureNamed(Eni eni, String current) {
        String wanted = net.interfaceName();
        if (current.equals(wanted)) {
            return current;
        }
        refuseIfNameHeldByOther(eni);
        log.info("renaming interface {} (MAC {}, {}) to {}", current, eni.mac(), eni.id(), wanted);
        links.rename(current, wanted);
        return wanted;
    }

    /**
     * Tags the instance unless the tag is there: as IMDS shows it when the instance shows its tags there (no
     * EC2 call; a lagging IMDS only costs an idempotent CreateTags), else as DescribeTags says.
     */
    private void tagInstance() {
        String key = net.instanceTagKey();
        String value = net.instanceTagValue();
        Optional<Optional<String>> shown = imds.instanceTag(key);
        boolean tagged = shown.isPresent() ? shown.get().equals(Optional.of(value))
                : value.equals(ec2.instanceTags(instanceId()).get(key));
        if (!tagged) {
            ec2.createTag(instanceId(), key, value);
            log.info("tagged instance {} with {}={}", instanceId(), key, value);
        }
    }

    // ---------------------------------------------------------------- holding

    /** What a holder's check found. */
    public enum Health {
        /** Nothing changed. */
        HOLDING,
        /** Still held, and something changed: a name or tag repaired, or the interface moved (host, pod). */
        CHANGED,
        /** The ENI is no longer attached here (EC2 confirmed it): let go, labels and tags removed. */
        LOST
    }

    /** What IMDS and the links showed of the held ENI: whether IMDS lists it, whether the host has its interface. */
    private record Sighting(boolean listedByImds, boolean onHost) {
        boolean suggestsLoss() {
            return !listedByImds || !onHost;
        }
    }

    /** The last sighting EC2 has confirmed (or that needed no confirming); touched by the agent's thread only. */
    private Sighting lastSighting;
    private volatile Runnable onImdsLag = () -> {};

    /** Told each time EC2 confirms an ENI that IMDS no longer lists is still attached (for the metrics). */
    public void onImdsLag(Runnable action) {
        onImdsLag = action;
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
    public Health checkHolding() {
        Held h = held;
        if (h == null) {
            return Health.LOST;
        }
        boolean listed = imds.interfaces().stream()
                .anyMatch(i -> i.mac().equalsIgnoreCase(h.mac()) && h.eniId().equals(i.interfaceId()));
        Optional<String> name = links.nameOf(h.mac());
        Sighting seen = new Sighting(listed, name.isPresent());
        if (seen.suggestsLoss() && !seen.equals(lastSighting) && !stillAttached(h, listed)) {
            letGo();
            return Health.LOST;
        }
        lastSighting = seen;
        Place place = placeOf(h, name);
        boolean renamed = place == Place.HOST && !name.orElseThrow().equals(net.interfaceName());
        // Its one line said by placeOf: the rest of what it takes (the place, bringing it up) goes without saying.
        boolean cameBack = renamed && h.interfacePlace() == Place.POD;
        boolean changed = renamed || place != h.interfacePlace();
        if (place != h.interfacePlace() && place != Place.MISNAMED && !cameBack) {
            log.info("the interface of {} is {}{}", h.eniId(), place.description,
                    place == Place.HOST ? " as " + net.interfaceName() : "");
        }
        if (place == Place.HOST && !links.isUp(net.interfaceName())) {
            // host-device's DEL hands the interface back down, and so does the kernel; down, it is a fault to the
            // node monitoring agent.
            if (!cameBack) {
                log.info("interface {} ({}) is down on the host; bringing it up without addresses",
                        net.interfaceName(), h.eniId());
            }
            links.upWithoutAddresses(net.interfaceName());
            changed = true;
        }
        if (changed) {
            held = h.withPlace(place, place == Place.HOST ? net.interfaceName() : name.orElse(null),
                    place == Place.HOST);
        }
        Optional<Optional<String>> tag = imds.instanceTag(net.instanceTagKey());
        if (tag.isPresent() && !tag.get().equals(Optional.of(net.instanceTagValue()))) {
            log.warn("instance {} lost its tag {}; tagging it again", instanceId(), net.instanceTagKey());
            ec2.createTag(instanceId(), net.instanceTagKey(), net.instanceTagValue());
            changed = true;
        }
        return changed ? Health.CHANGED : Health.HOLDING;
    }

    /** One DescribeNetworkInterfaces settles what IMDS or the links suggest: is the held ENI still attached here? */
    private boolean stillAttached(Held h, boolean listedByImds) {
        if (describe(h.eniId()).filter(e -> e.isAttachedTo(instanceId())).isEmpty()) {
            log.warn("{} ({}) is no longer attached to instance {} (EC2 confirms it); letting it go", h.eniId(),
                    h.mac(), instanceId());
            return false;
        }
        if (!listedByImds) {
            log.info("IMDS does not list {} ({}), but EC2 has it attached to instance {}: IMDS lags; keeping it",
                    h.eniId(), h.mac(), instanceId());
            onImdsLag.run();
        }
        return true;
    }

    /**
     * Where the held ENI's interface is, given its name on the host (empty: not on the host); renames it back
     * when it lost its name and can have it. A name that cannot be fixed is logged once, when it starts.
     */
    private Place placeOf(Held h, Optional<String> name) {
        boolean newly = h.interfacePlace() != Place.MISNAMED;
        if (name.isEmpty()) {
            Optional<String> squatter = links.macOf(net.interfaceName());
            if (squatter.isEmpty()) {
                return Place.POD;
            }
            // Not on the host, yet the name is: host-device would hand a pod that other interface.
            if (newly) {
                log.error("the interface of {} is not on the host, and another interface (MAC {}) holds the name {};"
                        + " the Node label goes until that is fixed", h.eniId(), squatter.get(), net.interfaceName());
            }
            return Place.MISNAMED;
        }
        if (name.get().equals(net.interfaceName())) {
            return Place.HOST;
        }
        try {
            refuseIfNameHeldByOther(h.eniId(), h.mac());
            if (h.interfacePlace() == Place.POD) {
                // The pod's namespace went without host-device's DEL (a reboot, a crashed or removed sandbox): the
                // kernel pushes the device back to the host under its name in the pod (net1), or dev<ifindex>.
                log.info("the interface of {} came back from a pod as {}; named {} again", h.eniId(), name.get(),
                        net.interfaceName());
            } else {
                log.warn("interface {} (MAC {}, {}) lost its name; renaming it {} again", name.get(), h.mac(),
                        h.eniId(), net.interfaceName());
            }
            links.rename(name.get(), net.interfaceName());
            return Place.HOST;
        } catch (RuntimeException unfixable) { // ours (the name taken) or the link's (ip refused): the same outcome
            if (links.nameOf(h.mac()).filter(net.interfaceName()::equals).isPresent()) {
                // Named meanwhile by someone else: udev, applying our .link file to a device that came back.
                return Place.HOST;
            }
            if (newly) {
                log.error("the interface of {} is on the host as {} and cannot be renamed {}: {}; the Node label goes"
                        + " until it is fixed", h.eniId(), name.get(), net.interfaceName(), unfixable.getMessage());
            }
            return Place.MISNAMED;
        }
    }

    /** The ENI went away: forget it and clean up after it, so another node's holding is not misreported. */
    private void letGo() {
        held = null;
        files.remove();
        state.delete();
        ec2.deleteTag(instanceId(), net.instanceTagKey(), net.instanceTagValue());
    }

    // ---------------------------------------------------------------- release

    /**
     * Releases what this instance holds: detaches every ENI that matches the selector and is attached
     * here (never device index 0), waits for each to become available, removes the instance tag and
     * the files. Idempotent: holding nothing is a success.
     *
     * @return the ENIs released
     */
    public List<Eni> release() throws InterruptedException {
        held = null;
        List<Eni> ours = onInstance().stream().filter(net.selector()::matches).filter(this::notTheNodesOwn)
                .filter(e -> e.attachment().filter(a -> a.instanceId().equals(instanceId()) && a.deviceIndex() != 0)
                        .isPresent())
                .toList();
        for (Eni eni : ours) {
            detach(eni);
        }
        // Nothing is held any more: the files and the state say so before the untag, which may be refused.
        files.remove();
        state.delete();
        untag();
        if (ours.isEmpty()) {
            log.info("instance {} holds no ENI matching {}: nothing to detach", instanceId(), net.selector());
        }
        return ours;
    }

    /** Detaches and waits (bounded) until the ENI is available for another node. */
    private void detach(Eni eni) throws InterruptedException {
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
        if (config.dryRun()) {
            return;
        }
        try {
            waitFor(eni + " to become available", config.detachTimeout(),
                    () -> describe(eni.id()).filter(e -> !e.isAttachedTo(instanceId())
                            && !e.status().equals("detaching")));
            log.info("released {}: it is available for another node", eni);
        } catch (ReconcileFailure timeout) {
            log.warn("{}; EC2 will finish the detach on its own", timeout.getMessage());
        }
    }

    /** The ENI this process attached or adopted and has not released. */
    public Optional<Held> held() {
        return Optional.ofNullable(held);
    }

    // ---------------------------------------------------------------- status

    /** What EC2 and the links say this instance holds for the network now (for {@code status}; not the daemon's view). */
    public Status status() {
        Map<String, String> instanceTags = ec2.instanceTags(instanceId());
        Optional<Held> found = onInstance().stream().filter(net.selector()::matches).filter(this::notTheNodesOwn)
                .filter(e -> e.isAttachedTo(instanceId())).findFirst().map(eni -> {
                    Eni.Attachment a = eni.attachment().orElseThrow();
                    String name = links.nameOf(eni.mac()).orElse(null);
                    // Still attaching, with no interface yet: neither on the host nor in a pod (null).
                    Place place = name != null ? Place.HOST : a.status().equals("attached") ? Place.POD : null;
                    return new Held(eni.id(), eni.mac(), eni.privateIps(), eni.subnetId(), a.deviceIndex(), a.id(),
                            a.status(), name, net.interfaceName().equals(name), place);
                });
        return report(found, net.instanceTagValue().equals(instanceTags.get(net.instanceTagKey())));
    }

    private Status report(Optional<Held> h, boolean tagged) {
        return new Status(net.network().id(), instanceId(), node.identity().zone(), node.cluster().orElse(null),
                net.interfaceName(), h, tagged, node.nodeName(), null, null);
    }

    // ---------------------------------------------------------------- helpers

    private Optional<Eni> describe(String eniId) {
        try {
            return ec2.describeNetworkInterfaces(Map.of("network-interface-id", eniId)).stream().findFirst();
        } catch (AwsFailure f) {
            if (f.kind() == AwsFailure.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw f;
        }
    }

    /** Polls with backoff (100 ms doubling to 2 s) until the check yields a value or the timeout passes. */
    private <T> T waitFor(String what, Duration timeout, Supplier<Optional<T>> check) throws InterruptedException {
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

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
