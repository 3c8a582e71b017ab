package io.multuseni.metrics;

import io.multuseni.aws.Ec2;
import io.multuseni.aws.Eni;
import io.multuseni.aws.InstanceType;
import java.util.List;
import java.util.Map;

/** Counts every EC2 call by action on its way to the real edge. */
public final class CountingEc2 implements Ec2 {
    private final Ec2 ec2;
    private final Metrics metrics;

    public CountingEc2(Ec2 ec2, Metrics metrics) {
        this.ec2 = ec2;
        this.metrics = metrics;
    }

    @Override
    public List<Eni> describeNetworkInterfaces(Map<String, String> filters) {
        metrics.ec2Call("DescribeNetworkInterfaces");
        return ec2.describeNetworkInterfaces(filters);
    }

    @Override
    public String attachNetworkInterface(String eniId, String instanceId, int deviceIndex) {
        metrics.ec2Call("AttachNetworkInterface");
        return ec2.attachNetworkInterface(eniId, instanceId, deviceIndex);
    }

    @Override
    public void detachNetworkInterface(String attachmentId) {
        metrics.ec2Call("DetachNetworkInterface");
        ec2.detachNetworkInterface(attachmentId);
    }

    @Override
    public Map<String, String> instanceTags(String instanceId) {
        metrics.ec2Call("DescribeTags");
        return ec2.instanceTags(instanceId);
    }

    @Override
    public void createTag(String resourceId, String key, String value) {
        metrics.ec2Call("CreateTags");
        ec2.createTag(resourceId, key, value);
    }

    @Override
    public void deleteTag(String resourceId, String key, String value) {
        metrics.ec2Call("DeleteTags");
        ec2.deleteTag(resourceId, key, value);
    }

    @Override
    public InstanceType instanceType(String name) {
        metrics.ec2Call("DescribeInstanceTypes");
        return ec2.instanceType(name);
    }
}
