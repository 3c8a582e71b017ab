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
public record Eni(String id, String mac, String zone, String subnetId, List<String> privateIps, State status,
                  Map<String, String> tags, Optional<Attachment> attachment, String interfaceType,
                  boolean requesterManaged) {

    /** EC2's {@code Status} of an ENI; {@link #toString} is EC2's word for it. */
    public enum State {
        AVAILABLE, ASSOCIATED, ATTACHING, IN_USE, DETACHING,
        /** A word EC2 added after this was written: neither free nor ours to judge. */
        UNKNOWN;

        public static State of(String ec2) {
            return Words.of(ec2, values(), UNKNOWN);
        }

        @Override
        public String toString() {
            return Words.ec2(this);
        }
    }

    /** EC2's {@code Status} of an attachment; {@link #toString} is EC2's word for it. */
    public enum AttachmentState {
        ATTACHING, ATTACHED, DETACHING, DETACHED,
        /** A word EC2 added after this was written: not counted as attached. */
        UNKNOWN;

        public static AttachmentState of(String ec2) {
            return Words.of(ec2, values(), UNKNOWN);
        }

        @Override
        public String toString() {
            return Words.ec2(this);
        }
    }

    /** An ENI's attachment to an instance. */
    public record Attachment(String id, String instanceId, int deviceIndex, int networkCardIndex,
                             AttachmentState status) {
        public boolean isActive() {
            return status == AttachmentState.ATTACHING || status == AttachmentState.ATTACHED;
        }
    }

    /** EC2 writes a state in lower case with hyphens ({@code in-use}); the enums name it in capitals. */
    private static final class Words {
        static <E extends Enum<E>> E of(String ec2, E[] values, E unknown) {
            for (E e : values) {
                if (ec2(e).equals(ec2)) {
                    return e;
                }
            }
            return unknown;
        }

        static String ec2(Enum<?> e) {
            return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
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
