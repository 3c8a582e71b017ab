package io.multuseni.eni;

import io.multuseni.aws.Eni;
import io.multuseni.node.Held;
import io.multuseni.node.Place;
import io.multuseni.node.Status;
import java.util.Map;
import java.util.Optional;

/** What EC2 and the links say this instance holds for the network now: {@code status}'s view, not the daemon's. */
final class StatusProbe {
    private final EniOps ops;

    StatusProbe(EniOps ops) {
        this.ops = ops;
    }

    Status now() {
        Map<String, String> instanceTags = ops.ec2.instanceTags(ops.instanceId());
        Optional<Held> found = ops.oursOnInstance().stream().filter(e -> e.isAttachedTo(ops.instanceId())).findFirst()
                .map(this::asHeld);
        return ops.report(found, ops.net.instanceTagValue().equals(instanceTags.get(ops.net.instanceTagKey())));
    }

    private Held asHeld(Eni eni) {
        Eni.Attachment a = eni.attachment().orElseThrow();
        String name = ops.links.nameOf(eni.mac()).orElse(null);
        // Still attaching, with no interface yet: neither on the host nor in a pod (null).
        Place place = name != null ? Place.HOST : a.status() == Eni.AttachmentState.ATTACHED ? Place.POD : null;
        return new Held(eni.id(), eni.mac(), eni.privateIps(), eni.subnetId(), a.deviceIndex(), a.id(), a.status(),
                name, ops.interfaceName().equals(name), place);
    }
}
