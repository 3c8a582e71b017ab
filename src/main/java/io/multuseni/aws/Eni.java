package io.multuseni.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What we need to know of an elastic network interface.
 *
 * @param privateIps its private IPv4 addresses, the primary first (what a Node annotation tells a workload's firewall)
 * @param interfaceType EC2's {@code InterfaceType}: {@code interface} for an ordinary ENI ({@code efa}, {@code trunk},
 *     {@code branch} and others belong to something else)
 * @param requesterManaged whether an AWS service created and manages it
 */
public record Eni(String id, String mac, String zone, String subnetId, List<String> privateIps, String status,
                  Map<String, String> tags, Optional<Attachment> attachment, String interfaceType,
                  boolean requesterManaged) {

    /** An ENI's attachment to an instance; {@code status} is attaching, attached, detaching or detached. */
    public record Attachment(String id, String instanceId, int deviceIndex, int networkCardIndex, String status) {
        public boolean isActive() {
            return status.equals("attaching") || status.equals("attached");
        }
    }

    /** The tag that keeps the VPC CNI away from an ENI, with the value {@code true}. */
    public static final String NO_MANAGE_TAG = "node.k8s.amazonaws.com/no_manage";

    /** Whether the VPC CNI leaves it alone: it carries {@link #NO_MANAGE_TAG}{@code =true}. */
    public boolean keptFromVpcCni() {
        return "true".equals(tags.get(NO_MANAGE_TAG));
    }

    public boolean isAttachedTo(String instanceId) {
        return attachment.filter(a -> a.instanceId().equals(instanceId) && a.isActive()).isPresent();
    }

    @Override
    public String toString() {
        return id + " (" + mac + ")";
    }
}
