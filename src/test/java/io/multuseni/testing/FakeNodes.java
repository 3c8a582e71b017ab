package io.multuseni.testing;

import io.multuseni.kube.KubeFailure;
import io.multuseni.kube.Nodes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory Nodes for unit tests, with an API outage until a given instant on the test clock. Zone
 * watches apply the rules they are given, as the API server's watch does: the fake has no policy of its own.
 */
public final class FakeNodes implements Nodes {
    private final Clock clock;
    private final Map<String, Map<String, String>> labels = new HashMap<>();
    private final Map<String, Map<String, String>> annotations = new HashMap<>();
    private final Map<String, String> zones = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final List<ZoneWatcher> zoneWatchers = new CopyOnWriteArrayList<>();
    private Instant downUntil = Instant.MIN;
    private Runnable watcher;

    private static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private record ZoneWatcher(String zone, ZoneRules rules, Runnable onRelease) {}

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

    /** The Node as the API server shows it: its labels with kubelet's zone label, its annotations. */
    private View view(String node) {
        if (!labels.containsKey(node)) {
            return null;
        }
        Map<String, String> shown = new HashMap<>(labels.get(node));
        Optional.ofNullable(zones.get(node)).ifPresent(z -> shown.put(ZONE_LABEL, z));
        return new View(node, Map.copyOf(shown), Map.copyOf(annotations.get(node)));
    }

    /** Applies a change to a Node and tells the zone watches whose rules call it a release (outside the lock). */
    private void change(String node, Runnable mutation) {
        List<Runnable> released = new ArrayList<>();
        synchronized (this) {
            View before = view(node);
            mutation.run();
            View after = view(node);
            for (ZoneWatcher w : zoneWatchers) {
                if (before != null && w.zone().equals(zones.get(node)) && w.rules().released(before, after)) {
                    released.add(w.onRelease());
                }
            }
        }
        released.forEach(Runnable::run);
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
    public synchronized ZoneWatch watchZone(String zone, ZoneRules rules, Runnable onRelease) {
        call("watchZone " + zone);
        ZoneWatcher w = new ZoneWatcher(zone, rules, onRelease);
        zoneWatchers.add(w);
        return new ZoneWatch() {
            @Override
            public Optional<Boolean> busy(Instant claimsSince) {
                synchronized (FakeNodes.this) {
                    return Optional.of(labels.keySet().stream().filter(n -> zone.equals(zones.get(n)))
                            .anyMatch(n -> rules.spokenFor(view(n), claimsSince)));
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
    public void close() {}
}
