package io.multuseni.kube;

import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes calls multus-eni makes on its own Node, and nothing more — what a node's identity
 * may do (get, watch and patch Nodes; NodeRestriction lets it label itself). Failures are
 * {@link KubeFailure}s.
 */
public interface Nodes extends AutoCloseable {
    /** The Node's labels, or empty when the Node has not registered (yet). */
    Optional<Map<String, String>> labels(String node);

    void addLabel(String node, String key, String value);

    /** Removes the label; a label already gone is not an error. */
    void removeLabel(String node, String key);

    /** Sets an annotation (null: removes it; one already gone is not an error). */
    void annotate(String node, String key, String value);

    /**
     * Calls {@code onChange} whenever the Node is added, changed or deleted, until closed. Reconnects
     * on its own once started; {@link Watch#active()} turns false when it could not start or gave up.
     */
    Watch watch(String node, Runnable onChange);

    /** The annotation a node sets on itself while it tries to take a free ENI: the time it started. */
    String CLAIM_ANNOTATION = "multus-eni.io/claim";

    /**
     * Watches the Nodes of a zone ({@code topology.kubernetes.io/zone}) for the holder's label: calls
     * {@code onRelease} when a Node that carried it loses it or goes away.
     */
    ZoneWatch watchZone(String zone, String labelKey, String labelValue, Runnable onRelease);

    /** A running zone watch, which also knows what the zone's Nodes show now. */
    interface ZoneWatch extends Watch {
        /**
         * Whether some Node of the zone carries the label, or claimed the zone's ENI since {@code since}
         * (another node is taking it); empty until the watch has its first list of the zone's Nodes.
         */
        java.util.Optional<Boolean> busy(java.time.Instant since);
    }

    /** A running watch. */
    interface Watch extends AutoCloseable {
        boolean active();

        @Override
        void close();
    }

    @Override
    void close();
}
