package io.multuseni.aws;

import java.util.List;
import java.util.Map;

/**
 * The EC2 calls multus-eni makes, and nothing more. Failures are {@link AwsFailure}s whose kind
 * says what the caller may do next (try another ENI, give up, …).
 */
public interface Ec2 {
    /**
     * DescribeNetworkInterfaces with EC2 filters, one value each, e.g. {@code tag:multus=true},
     * {@code availability-zone}, {@code status}, {@code attachment.instance-id}.
     */
    List<Eni> describeNetworkInterfaces(Map<String, String> filters);

    /** @return the attachment id (null in dry-run mode, where nothing is attached) */
    String attachNetworkInterface(String eniId, String instanceId, int deviceIndex);

    void detachNetworkInterface(String attachmentId);

    Map<String, String> instanceTags(String instanceId);

    void createTag(String resourceId, String key, String value);

    void deleteTag(String resourceId, String key, String value);

    /** DescribeInstanceTypes of one type: what its network takes. */
    InstanceType instanceType(String name);
}
