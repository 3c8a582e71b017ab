package io.multuseni.eni;

import io.multuseni.aws.Imds;
import io.multuseni.node.Held;
import io.multuseni.node.Place;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holder's check, from IMDS and the links alone while nothing changes; one EC2 describe when they first
 * suggest the ENI is gone. Touched by the agent's thread only.
 */
final class HolderCheck {
    private static final Logger log = LoggerFactory.getLogger(HolderCheck.class);

    /** What IMDS and the links showed of the held ENI: whether IMDS lists it, whether the host has its interface. */
    private record Sighting(boolean listedByImds, boolean onHost) {
        boolean suggestsLoss() {
            return !listedByImds || !onHost;
        }
    }

    private final EniOps ops;
    /** The last sighting EC2 has confirmed (or that needed no confirming). */
    private Sighting lastSighting;

    HolderCheck(EniOps ops) {
        this.ops = ops;
    }

    /** EC2 has just said {@code held} is attached: what IMDS shows from here on is measured against that. */
    void confirmed(Held held) {
        lastSighting = new Sighting(true, held.interfacePlace() == Place.HOST);
    }

    /** @see EniReconciler#checkHolding() */
    EniReconciler.Check check(Held h) {
        boolean listed = ops.imds.interfaces().stream()
                .anyMatch(i -> i.mac().equalsIgnoreCase(h.mac()) && h.eniId().equals(i.interfaceId()));
        Optional<String> name = ops.links.nameOf(h.mac());
        Sighting seen = new Sighting(listed, name.isPresent());
        boolean imdsLagged = false;
        if (seen.suggestsLoss() && !seen.equals(lastSighting)) {
            if (!stillAttached(h)) {
                letGo();
                return new EniReconciler.Check(EniReconciler.Health.LOST, null, false);
            }
            if (!listed) {
                log.info("IMDS does not list {} ({}), but EC2 has it attached to instance {}: IMDS lags; keeping it",
                        h.eniId(), h.mac(), ops.instanceId());
                imdsLagged = true;
            }
        }
        lastSighting = seen;
        String wanted = ops.interfaceName();
        Place place = placeOf(h, name);
        boolean renamed = place == Place.HOST && !name.orElseThrow().equals(wanted);
        // Its one line said by placeOf: the rest of what it takes (the place, bringing it up) goes without saying.
        boolean cameBack = renamed && h.interfacePlace() == Place.POD;
        boolean changed = renamed || place != h.interfacePlace();
        if (place != h.interfacePlace() && place != Place.MISNAMED && !cameBack) {
            log.info("the interface of {} is {}{}", h.eniId(), place.description,
                    place == Place.HOST ? " as " + wanted : "");
        }
        if (place == Place.HOST && !ops.links.isUp(wanted)) {
            // host-device's DEL hands the interface back down, and so does the kernel; down, it is a fault to the
            // node monitoring agent.
            if (!cameBack) {
                log.info("interface {} ({}) is down on the host; bringing it up without addresses", wanted,
                        h.eniId());
            }
            ops.links.upWithoutAddresses(wanted);
            changed = true;
        }
        Held now = changed ? h.withPlace(place, place == Place.HOST ? wanted : name.orElse(null), place == Place.HOST)
                : h;
        if (ops.imds.instanceTag(ops.net.instanceTagKey()) instanceof Imds.Tag.Shown tag
                && !tag.is(ops.net.instanceTagValue())) {
            log.warn("instance {} lost its tag {}; tagging it again", ops.instanceId(), ops.net.instanceTagKey());
            ops.ec2.createTag(ops.instanceId(), ops.net.instanceTagKey(), ops.net.instanceTagValue());
            changed = true;
        }
        log.debug("check of {}: IMDS {} it, its interface {}; {}", h.eniId(), listed ? "lists" : "does not list",
                name.map(n -> "is " + n + " on the host").orElse("is not on the host"),
                changed ? "repaired, now " + place.description : "nothing to do");
        return new EniReconciler.Check(changed ? EniReconciler.Health.CHANGED : EniReconciler.Health.HOLDING, now,
                imdsLagged);
    }

    /** One DescribeNetworkInterfaces settles what IMDS or the links suggest: is the held ENI still attached here? */
    private boolean stillAttached(Held h) {
        if (ops.describe(h.eniId()).filter(e -> e.isAttachedTo(ops.instanceId())).isEmpty()) {
            log.warn("{} ({}) is no longer attached to instance {} (EC2 confirms it); letting it go", h.eniId(),
                    h.mac(), ops.instanceId());
            return false;
        }
        return true;
    }

    /**
     * Where the held ENI's interface is, given its name on the host (empty: not on the host); renames it back
     * when it lost its name and can have it. A name that cannot be fixed is logged once, when it starts.
     */
    private Place placeOf(Held h, Optional<String> name) {
        String wanted = ops.interfaceName();
        boolean newly = h.interfacePlace() != Place.MISNAMED;
        if (name.isEmpty()) {
            Optional<String> squatter = ops.links.macOf(wanted);
            if (squatter.isEmpty()) {
                return Place.POD;
            }
            // Not on the host, yet the name is: host-device would hand a pod that other interface.
            if (newly) {
                log.error("the interface of {} is not on the host, and another interface (MAC {}) holds the name {};"
                        + " the Node label goes until that is fixed", h.eniId(), squatter.get(), wanted);
            }
            return Place.MISNAMED;
        }
        if (name.get().equals(wanted)) {
            return Place.HOST;
        }
        try {
            ops.refuseIfNameHeldByOther(h.eniId(), h.mac());
            if (h.interfacePlace() == Place.POD) {
                // The pod's namespace went without host-device's DEL (a reboot, a crashed or removed sandbox): the
                // kernel pushes the device back to the host under its name in the pod (net1), or dev<ifindex>.
                log.info("the interface of {} came back from a pod as {}; named {} again", h.eniId(), name.get(),
                        wanted);
            } else {
                log.warn("interface {} (MAC {}, {}) lost its name; renaming it {} again", name.get(), h.mac(),
                        h.eniId(), wanted);
            }
            ops.links.rename(name.get(), wanted);
            return Place.HOST;
        } catch (RuntimeException unfixable) { // ours (the name taken) or the link's (ip refused): the same outcome
            if (ops.links.nameOf(h.mac()).filter(wanted::equals).isPresent()) {
                // Named meanwhile by someone else: udev, applying our .link file to a device that came back.
                return Place.HOST;
            }
            if (newly) {
                log.error("the interface of {} is on the host as {} and cannot be renamed {}: {}; the Node label goes"
                        + " until it is fixed", h.eniId(), name.get(), wanted, unfixable.getMessage());
            }
            return Place.MISNAMED;
        }
    }

    /** The ENI went away: clean up after it, so another node's holding is not misreported. */
    private void letGo() {
        ops.files.remove();
        ops.state.delete();
        ops.ec2.deleteTag(ops.instanceId(), ops.net.instanceTagKey(), ops.net.instanceTagValue());
    }
}
