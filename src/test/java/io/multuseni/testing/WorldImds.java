package io.multuseni.testing;

import io.multuseni.aws.Imds;
import io.multuseni.aws.ImdsFailure;
import io.multuseni.standin.Ec2World;
import io.multuseni.standin.ImdsLag;
import io.multuseni.standin.InstanceMetadata;
import java.util.List;
import java.util.Optional;

/** The in-memory fake of our {@link Imds} edge: one instance of the EC2 world, read live. */
public final class WorldImds implements Imds {
    private final Ec2World world;
    private final String instanceId;
    private volatile boolean down;
    /** IMDS lagging behind EC2, as the test asks. */
    public final ImdsLag lag = new ImdsLag();

    public WorldImds(Ec2World world, String instanceId) {
        this.world = world;
        this.instanceId = instanceId;
    }

    /** An IMDS outage: every call fails until it is back. */
    public void down(boolean isDown) {
        down = isDown;
    }

    private Ec2World.Instance instance() {
        if (down) {
            throw new ImdsFailure("IMDS unreachable", null);
        }
        return world.instance(instanceId);
    }

    @Override
    public Identity identity() {
        Ec2World.Instance i = instance();
        return new Identity(i.id, world.region(), i.zone, i.hostname);
    }

    @Override
    public String instanceType() {
        return instance().instanceType.name();
    }

    @Override
    public List<AttachedInterface> interfaces() {
        instance();
        return lag.listed(attached()).stream()
                .map(n -> new AttachedInterface(n.mac(), n.eniId(), n.deviceIndex(), n.networkCardIndex())).toList();
    }

    /** IMDS keeps listing the interface with this MAC, attached now, after it is detached. */
    public void keepListing(String mac) {
        lag.keepListing(mac, attached());
    }

    private List<InstanceMetadata.Nic> attached() {
        return world.attachedTo(instanceId).stream().map(e -> new InstanceMetadata.Nic(e.mac, e.id,
                e.attachment.deviceIndex, e.attachment.networkCardIndex, null)).toList();
    }

    @Override
    public Tag instanceTag(String key) {
        Ec2World.Instance i = instance();
        return i.metadataTags ? new Tag.Shown(Optional.ofNullable(i.tags.get(key))) : Tag.HIDDEN;
    }

    @Override
    public Optional<String> leaving() {
        Ec2World.Instance i = instance();
        if (i.spotAction != null) {
            return Optional.of("spot interruption: " + i.spotAction);
        }
        return "Terminated".equals(i.lifecycleState) ? Optional.of("Auto Scaling lifecycle state Terminated")
                : Optional.empty();
    }
}
