package io.multuseni.kube;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes calls multus-eni makes, and nothing more — what a node's identity may do (get, list,
 * watch and patch Nodes; NodeRestriction lets it label and annotate only itself; create and patch Events, as
 * kubelet does, but not read them). Failures are {@link KubeFailure}s.
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
     * Watches the Nodes of a zone ({@code topology.kubernetes.io/zone}) that carry the label key {@code selector}:
     * only those, so that neither the watch's memory nor its traffic grows with the zone. Tells {@code listener}
     * of every change; a Node that stops carrying the key has left the selection, which is told as its going away.
     */
    ZoneWatch watchZone(String zone, String selector, ZoneListener listener);

    /** The Nodes {@link #watchZone} would show, read from the API server now (to check a watch against). */
    List<View> listZone(String zone, String selector);

    /**
     * Writes an Event about the Node, as kubelet writes its own: in the namespace {@code default}, about the Node by
     * its name, from {@code multus-eni} on that host, so {@code kubectl describe node} and {@code kubectl get events}
     * show it.
     *
     * @param count how many times it happened between {@code first} and {@code last}
     * @return the Event's name, to {@link #repeatEvent} it
     */
    String createEvent(String node, Event event, int count, Instant first, Instant last);

    /**
     * Says an Event written before happened again: its new count and last time (a merge patch of those two only).
     *
     * @return false when the Event is gone (the API server keeps Events an hour): write it anew
     */
    boolean repeatEvent(String name, int count, Instant last);

    /** One thing that happened on a Node: a reason in CamelCase, a message, and whether it is a warning. */
    record Event(String reason, String message, boolean warning) {}

    /** A Node's labels and annotations; never null. */
    record View(String name, Map<String, String> labels, Map<String, String> annotations) {}

    /** Told of each change among a zone watch's Nodes, on the watch's own thread. */
    interface ZoneListener {
        /** @param before null: the Node appeared (or the watch listed it); @param after null: it went away */
        void changed(View before, View after);
    }

    /** A running zone watch, which also knows the Nodes it watches. */
    interface ZoneWatch extends Watch {
        /** The Nodes as the watch shows them now; empty until the watch has listed them. */
        Optional<List<View>> nodes();
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
