package io.multuseni.standin;

import java.util.List;
import java.util.Map;

/**
 * What IMDS tells one instance about itself. {@link ImdsServer} serves it; it comes from the
 * stand-in's {@link Ec2World}, or from another EC2 (LocalStack) asked over its API.
 */
public interface InstanceMetadata {
    /** One interface whose attachment to the instance has completed. */
    record Nic(String mac, String eniId, int deviceIndex, int networkCardIndex, String privateIp) {}

    String instanceId();

    String zone();

    String region();

    String hostname();

    /** IMDS {@code instance-type}. */
    String instanceType();

    List<Nic> interfaces();

    /** The instance's tags, or null when IMDS does not show them (InstanceMetadataTags disabled). */
    Map<String, String> tags();

    /** IMDS {@code spot/instance-action}: null until a spot interruption is scheduled. */
    String spotAction();

    /** IMDS {@code autoscaling/target-lifecycle-state}. */
    String lifecycleState();
}
