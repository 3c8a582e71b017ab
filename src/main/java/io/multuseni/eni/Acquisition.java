package io.multuseni.eni;

import io.multuseni.aws.AwsFailure;
import io.multuseni.aws.Eni;
import io.multuseni.aws.Imds;
import io.multuseni.config.Durations;
import io.multuseni.node.Backoff;
import io.multuseni.node.Held;
import io.multuseni.node.Outcome;
import io.multuseni.node.Place;
import io.multuseni.node.ReconcileFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acquire: adopt the ENI this instance already holds, or win a free one — the device index, the race with other
 * nodes, the wait for the attachment and its interface, the name, the instance tag — and undo its own attach when
 * it cannot finish.
 */
final class Acquisition {
    private static final Logger log = LoggerFactory.getLogger(Acquisition.class);
    /** The VPC CNI's own CNI configuration, which aws-node writes where it runs. */
    static final String VPC_CNI_CONFIG = "10-aws.conflist";
    /** A lost device-index race is retried this often on the same ENI before moving on. */
    private static final int DEVICE_INDEX_RETRIES = 3;

    private final EniOps ops;
    private final Random random;

    Acquisition(EniOps ops, Random random) {
        this.ops = ops;
        this.random = random;
    }

    /** @see EniReconciler#acquire(Duration, boolean, EniReconciler.Patience) */
    Outcome acquire(Duration lookFor, boolean thorough, EniReconciler.Patience patience) throws InterruptedException {
        Instant deadline = ops.clock.instant().plus(lookFor);
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), random);
        ops.files.claimName(ops.interfaceName()); // at boot and at every look: a file read once claimed
        while (true) {
            // All the zone's matching ENIs, whatever their status: one call tells which is already ours, which
            // is free, and which is on its way out.
            List<Eni> matching = ops.ec2.describeNetworkInterfaces(ops.net.selector().filters()).stream()
                    .filter(ops.net.selector()::matches) // the filters are EC2's; the selector is ours
                    .filter(ops::notTheNodesOwn)
                    .toList();
            if (log.isDebugEnabled()) {
                log.debug("EC2 lists {} ENI(s) matching {}: {}", matching.size(), ops.net.selector(), matching.stream()
                        .map(e -> e.id() + " " + e.status() + e.attachment().map(a -> " to " + a.instanceId()
                                + " at device index " + a.deviceIndex()).orElse("")).toList());
            }
            Optional<Eni> held = matching.stream().filter(e -> e.isAttachedTo(ops.instanceId()))
                    .min(Comparator.comparingInt(e -> e.attachment().orElseThrow().deviceIndex()));
            if (held.isPresent()) {
                log.info("adopting {}: already attached to instance {} at device index {}", held.get(),
                        ops.instanceId(), held.get().attachment().orElseThrow().deviceIndex());
                return ops.settings.dryRun() ? new Outcome.DryRun("would keep " + held.get() + ", make sure its"
                        + " interface is named " + ops.interfaceName() + " and tag the instance")
                        : finish(held.get(), false);
            }
            List<Eni> candidates = new ArrayList<>(matching.stream().filter(e -> e.status() == Eni.State.AVAILABLE)
                    .toList());
            refuseWhatTheVpcCniWouldTake(candidates);
            boolean freeing = matching.stream().anyMatch(e -> e.status() == Eni.State.DETACHING);
            Collections.shuffle(candidates, random);
            String why;
            if (candidates.isEmpty()) {
                why = "no free ENI matches " + ops.net.selector() + (matching.isEmpty() ? ""
                        : " (" + matching.size() + " held elsewhere" + (freeing ? ", one being detached" : "") + ")");
            } else {
                log.info("{} free ENI(s) match {}: {}", candidates.size(), ops.net.selector(), candidates);
                List<Imds.AttachedInterface> fromImds = ops.imds.interfaces();
                List<Eni> onInstance = thorough || fromImds.stream().anyMatch(i -> i.deviceNumber() != 0)
                        ? ops.onInstance() : List.of();
                for (Eni candidate : candidates) {
                    if (tryAttach(candidate, usedDeviceIndices(fromImds, onInstance))) {
                        if (ops.settings.dryRun()) {
                            return new Outcome.DryRun("would attach " + candidate + " to " + ops.instanceId()
                                    + ", name its interface " + ops.interfaceName() + " and tag the instance "
                                    + ops.net.instanceTagKey() + "=" + ops.net.instanceTagValue());
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
            Instant now = ops.clock.instant();
            // A race just lost may yet free the ENI (the winner's attach can fail); an ENI detaching will be free.
            boolean worthWaiting = freeing || !candidates.isEmpty();
            if (!now.isBefore(deadline) || patience == EniReconciler.Patience.WHILE_WORTH_IT && !worthWaiting) {
                boolean waited = !lookFor.isZero() && !now.isBefore(deadline);
                return new Outcome.NoneFree(why + (waited ? " (looked for " + Durations.format(lookFor) + ")" : ""),
                        freeing);
            }
            Duration wait = EniOps.min(backoff.next(), Duration.between(now, deadline));
            log.info("{}; looking again in {}", why, Durations.format(wait));
            ops.sleeper.sleep(wait);
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
        Path vpcCni = ops.settings.cniConfDir().resolve(VPC_CNI_CONFIG);
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

    /** @return whether EC2 accepted the attach; false when another node took the ENI first */
    private boolean tryAttach(Eni candidate, Set<Integer> used) {
        ops.refuseIfNameHeldByOther(candidate.toString(), candidate.mac());
        for (int attempt = 1; ; attempt++) {
            int deviceIndex = lowestFreeDeviceIndex(used);
            // Before the attach, so udev names the interface the moment it is hot-plugged.
            ops.files.write(candidate.mac(), ops.interfaceName());
            try {
                String attachmentId = ops.ec2.attachNetworkInterface(candidate.id(), ops.instanceId(), deviceIndex);
                log.info("attaching {} to instance {} at device index {} ({})", candidate, ops.instanceId(),
                        deviceIndex, attachmentId);
                return true;
            } catch (AwsFailure f) {
                ops.files.remove();
                if (f.kind() != AwsFailure.Kind.CONFLICT) {
                    throw ops.explain(f, candidate);
                }
                Optional<Eni> now = ops.describe(candidate.id());
                if (now.isEmpty() || now.get().status() != Eni.State.AVAILABLE) {
                    log.info("{} was taken by another node first ({}); trying the next", candidate, f.code());
                    return false;
                }
                if (attempt >= DEVICE_INDEX_RETRIES) {
                    log.warn("{} is still free but attaching it failed {} times ({}); trying the next", candidate,
                            attempt, f.getMessage());
                    return false;
                }
                log.info("device index {} on instance {} was taken meanwhile ({}); trying again", deviceIndex,
                        ops.instanceId(), f.getMessage());
                used = usedDeviceIndices(ops.imds.interfaces(), ops.onInstance());
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

    /** Waits for the attachment and the interface, names it, tags the instance; undoes its own attach on failure. */
    private Outcome finish(Eni eni, boolean attachedNow) throws InterruptedException {
        if (!eni.keptFromVpcCni()) {
            log.warn("{} lacks the tag {}=true: the VPC CNI may take it over for pod IPs. Tag the ENI.", eni,
                    Eni.NO_MANAGE_TAG);
        }
        Eni attached;
        try {
            attached = ops.waitFor("the attachment of " + eni + " to instance " + ops.instanceId() + " to complete",
                    ops.settings.attachTimeout(), () -> ops.describe(eni.id())
                            .filter(e -> e.attachment().filter(a -> a.instanceId().equals(ops.instanceId())
                                    && a.status() == Eni.AttachmentState.ATTACHED).isPresent()));
        } catch (ReconcileFailure stuck) {
            if (attachedNow) {
                rollback(eni, stuck);
            }
            throw new StuckAttachment(stuck.getMessage());
        }
        try {
            ops.files.write(eni.mac(), ops.interfaceName());
            Optional<String> current = attachedNow
                    ? Optional.of(ops.waitFor("the interface with MAC " + eni.mac() + " (" + eni.id() + ") to appear",
                            ops.settings.attachTimeout(), () -> ops.links.nameOf(eni.mac())))
                    : ops.links.nameOf(eni.mac());
            String name = null;
            Place place = Place.POD;
            if (current.isPresent()) {
                name = ensureNamed(eni, current.get());
                ops.links.upWithoutAddresses(name);
                place = Place.HOST;
            } else {
                log.info("the interface of {} is {}; keeping the attachment", eni, place.description);
            }
            tagInstance();
            Eni.Attachment a = attached.attachment().orElseThrow();
            Held now = new Held(eni.id(), eni.mac(), attached.privateIps(), attached.subnetId(), a.deviceIndex(),
                    a.id(), a.status(), name, name != null, place);
            ops.state.write(ops.report(Optional.of(now), true));
            log.info("holding {} as {} on instance {}", eni, name == null ? ops.interfaceName() + " (in a pod)"
                    : name, ops.instanceId());
            return new Outcome.Holding(now, attachedNow);
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
        Optional<Eni> current = ops.describe(eni.id()).filter(c -> c.isAttachedTo(ops.instanceId()));
        if (current.isPresent()) {
            ops.detach(current.get());
        }
        ops.files.remove();
        ops.untag(); // the tag may have been set before what failed (writing the state, say)
    }

    /** An attachment that never left {@code attaching}: it was detached again; another ENI may do. */
    private static final class StuckAttachment extends RuntimeException {
        StuckAttachment(String message) {
            super(message);
        }
    }

    private String ensureNamed(Eni eni, String current) {
        String wanted = ops.interfaceName();
        if (current.equals(wanted)) {
            return current;
        }
        ops.refuseIfNameHeldByOther(eni.toString(), eni.mac());
        log.info("renaming interface {} (MAC {}, {}) to {}", current, eni.mac(), eni.id(), wanted);
        ops.links.rename(current, wanted);
        return wanted;
    }

    /**
     * Tags the instance unless the tag is there: as IMDS shows it when the instance shows its tags there (no
     * EC2 call; a lagging IMDS only costs an idempotent CreateTags), else as DescribeTags says.
     */
    private void tagInstance() {
        String key = ops.net.instanceTagKey();
        String value = ops.net.instanceTagValue();
        boolean tagged = ops.imds.instanceTag(key) instanceof Imds.Tag.Shown shown ? shown.is(value)
                : value.equals(ops.ec2.instanceTags(ops.instanceId()).get(key));
        if (!tagged) {
            ops.ec2.createTag(ops.instanceId(), key, value);
            log.info("tagged instance {} with {}={}", ops.instanceId(), key, value);
        }
    }
}
