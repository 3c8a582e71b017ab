package io.multuseni.node;

import io.multuseni.aws.Eni;
import java.util.Optional;
import java.util.Set;

/**
 * The node's own network, which multus-eni never adopts, attaches, renames or detaches, whatever its tags say: a
 * tagging mistake, or anyone allowed {@code ec2:CreateTags} on network interfaces (the VPC CNI's managed policy
 * grants it on every ENI), must not make the node's primary interface or the VPC CNI's ENIs look like a Multus ENI.
 */
public final class OwnNetwork {
    /**
     * Tags the VPC CNI puts on the ENIs it creates for pod IPs (amazon-vpc-cni-k8s {@code pkg/awsutils/awsutils.go},
     * {@code eniNodeTagKey}; its README, "ENI tags related to Allocation"; {@code eks:eni:owner=amazon-vpc-cni}).
     */
    static final Set<String> VPC_CNI_OWNER_TAGS = Set.of("node.k8s.amazonaws.com/instance_id",
            "cluster.k8s.amazonaws.com/name", "eks:eni:owner");

    private OwnNetwork() {}

    /**
     * Why this ENI is the node's own network (or another service's) and never multus-eni's; empty when it may be.
     *
     * @param primaryMac the instance's primary MAC (IMDS {@code mac}), when known
     */
    public static Optional<String> why(Eni eni, Optional<String> primaryMac) {
        if (eni.attachment().filter(a -> a.deviceIndex() == 0 && a.isActive()).isPresent()) {
            return Optional.of("it is an instance's primary interface (device index 0)");
        }
        if (primaryMac.filter(eni.mac()::equalsIgnoreCase).isPresent()) {
            return Optional.of("it has this instance's primary MAC");
        }
        if (!"interface".equals(eni.interfaceType())) {
            return Optional.of("its interface type is " + eni.interfaceType() + ", not interface");
        }
        if (eni.requesterManaged()) {
            return Optional.of("an AWS service manages it (requester-managed)");
        }
        return VPC_CNI_OWNER_TAGS.stream().filter(eni.tags()::containsKey).findFirst()
                .map(tag -> "the VPC CNI owns it (tag " + tag + ")");
    }
}
