package io.multuseni.testing;

import io.multuseni.aws.AwsFailure;
import io.multuseni.aws.Ec2;
import io.multuseni.aws.Eni;
import io.multuseni.aws.InstanceType;
import io.multuseni.standin.Ec2World;
import io.multuseni.standin.Filters;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The in-memory fake of our {@link Ec2} edge for unit tests: the stand-in's EC2 world without HTTP,
 * so unit and integration tests share one model of EC2's behaviour. In dry-run mode changing calls
 * are checked for faults (as IAM would be) and change nothing.
 */
public final class WorldEc2 implements Ec2 {
    private final Ec2World world;
    private final boolean dryRun;
    private final BeforeAttach beforeAttach;

    /** What a test does as this node's AttachNetworkInterface is about to reach EC2: stage a race, or record. */
    @FunctionalInterface
    public interface BeforeAttach {
        void attaching(String eniId, String instanceId);
    }

    public WorldEc2(Ec2World world, boolean dryRun) {
        this(world, dryRun, (eniId, instanceId) -> { });
    }

    public WorldEc2(Ec2World world, boolean dryRun, BeforeAttach beforeAttach) {
        this.world = world;
        this.dryRun = dryRun;
        this.beforeAttach = beforeAttach;
    }

    @Override
    public List<Eni> describeNetworkInterfaces(Map<String, String> filters) {
        Filters f = new Filters();
        filters.forEach((k, v) -> f.add(k, List.of(v)));
        return call("DescribeNetworkInterfaces", false,
                () -> world.describeNetworkInterfaces(List.of(), f).stream().map(WorldEc2::toEni).toList());
    }

    private static Eni toEni(Ec2World.Eni e) {
        Ec2World.Attachment a = e.attachment;
        return new Eni(e.id, e.mac, e.zone, e.subnetId, List.of(e.privateIp), Eni.State.of(e.status),
                Map.copyOf(e.tags),
                a == null ? Optional.empty()
                : Optional.of(new Eni.Attachment(a.id, a.instanceId, a.deviceIndex, a.networkCardIndex,
                        Eni.AttachmentState.of(a.status))),
                e.interfaceType, e.requesterManaged);
    }

    @Override
    public String attachNetworkInterface(String eniId, String instanceId, int deviceIndex) {
        beforeAttach.attaching(eniId, instanceId);
        return call("AttachNetworkInterface", true, () -> world.attach(eniId, instanceId, deviceIndex, 0));
    }

    @Override
    public void detachNetworkInterface(String attachmentId) {
        call("DetachNetworkInterface", true, () -> {
            world.detach(attachmentId, false);
            return null;
        });
    }

    @Override
    public Map<String, String> instanceTags(String instanceId) {
        return call("DescribeTags", false, () -> Map.copyOf(world.instance(instanceId).tags));
    }

    @Override
    public void createTag(String resourceId, String key, String value) {
        call("CreateTags", true, () -> {
            world.createTags(List.of(resourceId), Map.of(key, value));
            return null;
        });
    }

    @Override
    public void deleteTag(String resourceId, String key, String value) {
        call("DeleteTags", true, () -> {
            world.deleteTags(List.of(resourceId), Map.of(key, Optional.of(value)));
            return null;
        });
    }

    @Override
    public InstanceType instanceType(String name) {
        return call("DescribeInstanceTypes", false, () -> {
            Ec2World.Type t = world.instanceType(name);
            return new InstanceType(t.name(), t.interfaces(), t.ipv4PerInterface());
        });
    }

    private <T> T call(String action, boolean changes, Supplier<T> body) {
        try {
            world.admit(action);
            if (changes && dryRun) {
                return null;
            }
            return body.get();
        } catch (Ec2World.Ec2Error e) {
            throw new AwsFailure(AwsFailure.kindOf(e.code), action, e.code, e.getMessage(), e);
        }
    }
}
