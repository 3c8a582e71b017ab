package io.multuseni.aws;

import java.util.Map;
import java.util.Optional;

/** What we need to know of an elastic network interface. */
public record Eni(String id, String mac, String zone, String status, Map<String, String> tags,
                  Optional<Attachment> attachment) {

    /** An ENI's attachment to an instance; {@code status} is attaching, attached, detaching or detached. */
    public record Attachment(String id, String instanceId, int deviceIndex, int networkCardIndex, String status) {
        public boolean isActive() {
            return status.equals("attaching") || status.equals("attached");
        }
    }

    public boolean isAttachedTo(String instanceId) {
        return attachment.filter(a -> a.instanceId().equals(instanceId) && a.isActive()).isPresent();
    }

    @Override
    public String toString() {
        return id + " (" + mac + ")";
    }
}
