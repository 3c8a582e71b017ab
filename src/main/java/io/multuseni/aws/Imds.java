package io.multuseni.aws;

import java.util.List;
import java.util.Optional;

/** The instance metadata service, IMDSv2 only. */
public interface Imds {
    Identity identity();

    /** The interfaces whose attachment has completed, as IMDS lists them. */
    List<AttachedInterface> interfaces();

    /** An instance tag as IMDS shows it, or {@link Tag#HIDDEN} when it shows no instance tags at all. */
    Tag instanceTag(String key);

    /** What IMDS says of one instance tag. */
    sealed interface Tag {
        /** IMDS shows no instance tags (the instance's InstanceMetadataTags option is off): only EC2 can tell. */
        Tag HIDDEN = new Hidden();

        record Hidden() implements Tag {}

        /** IMDS shows the instance's tags: this one's value, empty when the instance lacks it. */
        record Shown(Optional<String> value) implements Tag {
            public boolean is(String expected) {
                return value.filter(expected::equals).isPresent();
            }
        }
    }

    /**
     * Why the instance is about to go, if it is: a spot interruption ({@code spot/instance-action}) or an
     * Auto Scaling termination ({@code autoscaling/target-lifecycle-state} = {@code Terminated}).
     */
    Optional<String> leaving();

    /** The instance's primary MAC: the interface at device 0 of network card 0, while IMDS lists it. */
    default Optional<String> primaryMac() {
        return interfaces().stream().filter(i -> i.deviceNumber() == 0 && i.networkCard() == 0)
                .map(AttachedInterface::mac).findFirst();
    }

    /** {@code instance-type}, e.g. {@code m5.large}. */
    String instanceType();

    record Identity(String instanceId, String region, String zone, String localHostname) {}

    record AttachedInterface(String mac, String interfaceId, int deviceNumber, int networkCard) {}
}
