package io.multuseni.kube;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes calls multus-eni makes, and nothing more — what a node's identity may do (get, list,
 * watch and patch Nodes; NodeRestriction lets it label and annotate only itself). Failures are
 * {@link KubeFailure}s.
 */
public interface Nodes extends AutoCloseable {
    /** The Node's labels and annotations, or empty when the Node has not registered (yet). */
    Optional<View> node(String node);

    /** Every Node of the cluster (for {@code multus-eni cluster}). */
    List<View> list();

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

    /**
     * Watches the Nodes of a zone ({@code topology.kubernetes.io/zone}): calls {@code onRelease} when a Node
     * changes or goes away in a way the rules call a release.
     */
    ZoneWatch watchZone(String zone, ZoneRules rules, Runnable onRelease);

    /** A Node as a zone's rules see it; labels and annotations are never null. */
    record View(String name, Map<String, String> labels, Map<String, String> annotations) {}

    /**
     * The rules of a zone watch, given by the caller so that every implementation of {@link Nodes} applies
     * the same ones: whether a Node speaks for the zone's ENI, and whether a change releases it.
     */
    interface ZoneRules {
        /** Whether this Node holds the zone's ENI, or has claimed it since {@code claimsSince}. */
        boolean spokenFor(View node, Instant claimsSince);

        /** Whether this change of a Node ({@code after} null: the Node went away) lets the zone's ENI go. */
        boolean released(View before, View after);
    }

    /** A running zone watch, which also knows what the zone's Nodes show now. */
    interface ZoneWatch extends Watch {
        /**
         * Whether some Node of the zone speaks for the zone's ENI (by the watch's rules); empty until the
         * watch has its first list of the zone's Nodes.
         */
        Optional<Boolean> busy(Instant claimsSince);
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
