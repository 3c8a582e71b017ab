package io.multuseni.testing;

import io.multuseni.kube.KubeFailure;
import io.multuseni.kube.Nodes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory Nodes for unit tests, with an API outage until a given instant on the test clock. Zone
 * watches select as the API server's do (the zone, and a label key present), tell each change the way a watch
 * does (a Node that stops matching goes away), and can be made to stop delivering while staying open.
 */
public final class FakeNodes implements Nodes {
    private final Clock clock;
    private final Map<String, Map<String, String>> labels = new HashMap<>();
    private final Map<String, Map<String, String>> annotations = new HashMap<>();
    private final Map<String, String> zones = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final List<ZoneWatcher> zoneWatchers = new CopyOnWriteArrayList<>();
    private Instant downUntil = Instant.MIN;
    private final Map<String, StoredEvent> events = new LinkedHashMap<>();
    private boolean refuseEvents;
    private Runnable watcher;

    private static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    /** A zone watch: what it selects, whom it tells, and what it shows (kept only while it delivers). */
    private static final class ZoneWatcher {
        final String zone;
        final String selector;
        final ZoneListener listener;
        final Map<String, View> shown = new HashMap<>();
        boolean stalled;

        ZoneWatcher(String zone, String selector, ZoneListener listener) {
            this.zone = zone;
            this.selector = selector;
            this.listener = listener;
        }

        View selected(View node, String nodeZone) {
            return node != null && zone.equals(nodeZone) && node.labels().containsKey(selector) ? node : null;
        }
    }

    public FakeNodes(Clock clock) {
        this.clock = clock;
    }

    public synchronized void register(String node) {
        labels.put(node, new HashMap<>());
        annotations.put(node, new HashMap<>());
        notifyWatcher();
    }

    /** Registers a Node in a zone, as kubelet does with topology.kubernetes.io/zone. */
    public synchronized void register(String node, String zone) {
        zones.put(node, zone);
        register(node);
    }

    public synchronized void downUntil(Instant instant) {
        downUntil = instant;
    }

    /** Someone else removes a label. */
    public void removedByOthers(String node, String key) {
        change(node, () -> labels.get(node).remove(key));
        synchronized (this) {
            notifyWatcher();
        }
    }

    /** Deletes a Node (kubectl delete node). */
    public void delete(String node) {
        change(node, () -> {
            labels.remove(node);
            annotations.remove(node);
        });
    }

    public synchronized Map<String, String> labelsOf(String node) {
        return Map.copyOf(labels.get(node));
    }

    public synchronized Map<String, String> annotationsOf(String node) {
        return Map.copyOf(annotations.get(node));
    }

    /** Every API call made, in order, e.g. {@code get n1}, {@code label n1 k=v}; failed calls too. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    private void notifyWatcher() {
        if (watcher != null) {
            watcher.run();
        }
    }

    private void call(String what) {
        calls.add(what);
        if (clock.instant().isBefore(downUntil)) {
            throw new KubeFailure(what + ": connection refused", null);
        }
    }

    /** An Event as the API server keeps it. */
    public record StoredEvent(String node, String name, Event event, int count, Instant first, Instant last) {}

    /** Whether writing Events is refused (403), as where the node's identity lacks the rights. */
    public synchronized void refuseEvents(boolean refuse) {
        refuseEvents = refuse;
    }

    /** The Events about the Node, oldest first. */
    public synchronized List<StoredEvent> events(String node) {
        return events.values().stream().filter(e -> e.node().equals(node)).toList();
    }

    /** Lets the API server expire an Event, as it does an hour after its last change. */
    public synchronized void expireEvents() {
        events.clear();
    }

    private void eventCall(String what) {
        call(what);
        if (refuseEvents) {
            throw new KubeFailure(what + ": HTTP 403 events is forbidden", null, 403);
        }
    }

    @Override
    public synchronized String createEvent(String node, Event event, int count, Instant first, Instant last) {
        eventCall("event " + node + " " + event.reason());
        String name = node + "." + events.size();
        events.put(name, new StoredEvent(node, name, event, count, first, last));
        return name;
    }

    @Override
    public synchronized boolean repeatEvent(String name, int count, Instant last) {
        eventCall("event again " + name);
        StoredEvent e = events.get(name);
        if (e == null) {
            return false;
        }
        events.put(name, new StoredEvent(e.node(), name, e.event(), count, e.first(), last));
        return true;
    }

    /** The Node as the API server shows it: its labels with kubelet's zone label, its annotations. */
    private View view(String node) {
        if (!labels.containsKey(node)) {
            return null;
        }
        Map<String, String> shown = new HashMap<>(labels.get(node));
        Optional.ofNullable(zones.get(node)).ifPresent(z -> shown.put(ZONE_LABEL, z));
        return new View(node, Map.copyOf(shown), Map.copyOf(annotations.get(node)));
    }

    /** Makes every zone watch stop delivering and stop changing what it shows, while it stays open. */
    public synchronized void stallZoneWatches() {
        zoneWatchers.forEach(w -> w.stalled = true);
    }

    /** Applies a change to a Node and tells the zone watches that select it (outside the lock). */
    private void change(String node, Runnable mutation) {
        List<Runnable> told = new ArrayList<>();
        synchronized (this) {
            View before = view(node);
            mutation.run();
            View after = view(node);
            for (ZoneWatcher w : zoneWatchers) {
                View was = w.selected(before, zones.get(node));
                View is = w.selected(after, zones.get(node));
                if (w.stalled || (was == null && is == null) || Objects.equals(was, is)) {
                    continue;
                }
                if (is == null) {
                    w.shown.remove(node);
                } else {
                    w.shown.put(node, is);
                }
                told.add(() -> w.listener.changed(was, is));
            }
        }
        told.forEach(Runnable::run);
    }

    @Override
    public synchronized Optional<View> node(String node) {
        call("get " + node);
        return Optional.ofNullable(view(node));
    }

    @Override
    public synchronized List<View> list() {
        call("list");
        return labels.keySet().stream().sorted().map(this::view).toList();
    }

    @Override
    public void addLabel(String node, String key, String value) {
        synchronized (this) {
            call("label " + node + " " + key + "=" + value);
        }
        change(node, () -> labels.get(node).put(key, value));
    }

    @Override
    public void removeLabel(String node, String key) {
        synchronized (this) {
            call("unlabel " + node + " " + key);
        }
        change(node, () -> Optional.ofNullable(labels.get(node)).ifPresent(l -> l.remove(key)));
    }

    @Override
    public void annotate(String node, String key, String value) {
        synchronized (this) {
            call("annotate " + node + " " + key);
        }
        change(node, () -> Optional.ofNullable(annotations.get(node)).ifPresent(a -> {
            if (value == null) {
                a.remove(key);
            } else {
                a.put(key, value);
            }
        }));
    }

    @Override
    public synchronized Watch watch(String node, Runnable onChange) {
        call("watch " + node);
        watcher = onChange;
        return new Watch() {
            @Override
            public boolean active() {
                return true;
            }

            @Override
            public void close() {
                watcher = null;
            }
        };
    }

    @Override
    public ZoneWatch watchZone(String zone, String selector, ZoneListener listener) {
        ZoneWatcher w = new ZoneWatcher(zone, selector, listener);
        List<View> listed;
        synchronized (this) {
            call("watchZone " + zone);
            listed = listZone(zone, selector);
            listed.forEach(v -> w.shown.put(v.name(), v));
            zoneWatchers.add(w);
        }
        listed.forEach(v -> listener.changed(null, v)); // a watch's first list, told as additions
        return new ZoneWatch() {
            @Override
            public Optional<List<View>> nodes() {
                synchronized (FakeNodes.this) {
                    return Optional.of(List.copyOf(w.shown.values()));
                }
            }

            @Override
            public boolean active() {
                return true;
            }

            @Override
            public void close() {
                zoneWatchers.remove(w);
            }
        };
    }

    @Override
    public synchronized List<View> listZone(String zone, String selector) {
        return labels.keySet().stream().sorted().map(this::view).filter(v -> zone.equals(zones.get(v.name()))
                && v.labels().containsKey(selector)).toList();
    }

    @Override
    public void close() {}
}
