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

/** In-memory Nodes for unit tests, with an API outage until a given instant on the test clock. */
public final class FakeNodes implements Nodes {
    private final Clock clock;
    private final Map<String, Map<String, String>> nodes = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private Instant downUntil = Instant.MIN;
    private Runnable watcher;

    public FakeNodes(Clock clock) {
        this.clock = clock;
    }

    public synchronized void register(String node) {
        nodes.put(node, new HashMap<>());
        notifyWatcher();
    }

    public synchronized void downUntil(Instant instant) {
        downUntil = instant;
    }

    /** Someone else removes a label. */
    public synchronized void removedByOthers(String node, String key) {
        nodes.get(node).remove(key);
        notifyWatcher();
    }

    public synchronized Map<String, String> labelsOf(String node) {
        return Map.copyOf(nodes.get(node));
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

    @Override
    public synchronized Optional<Map<String, String>> labels(String node) {
        call("get " + node);
        return Optional.ofNullable(nodes.get(node)).map(Map::copyOf);
    }

    @Override
    public synchronized void addLabel(String node, String key, String value) {
        call("label " + node + " " + key + "=" + value);
        nodes.get(node).put(key, value);
    }

    @Override
    public void removeLabel(String node, String key) {
        boolean removed;
        synchronized (this) {
            call("unlabel " + node + " " + key);
            removed = Optional.ofNullable(nodes.get(node)).map(l -> l.remove(key) != null).orElse(false);
        }
        if (removed) {
            zoneWatchers.forEach(Runnable::run);
        }
    }

    private final Map<String, java.time.Instant> claims = new HashMap<>();

    private boolean claimedSince(String node, java.time.Instant since) {
        java.time.Instant claim = claims.get(node);
        return claim != null && !claim.isBefore(since);
    }

    @Override
    public synchronized void annotate(String node, String key, String value) {
        call("annotate " + node + " " + key);
        if (key.equals(CLAIM_ANNOTATION)) {
            if (value == null) {
                claims.remove(node);
            } else {
                claims.put(node, java.time.Instant.parse(value));
            }
        }
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

    private final Map<String, String> zones = new HashMap<>();
    private final List<Runnable> zoneWatchers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Registers a Node in a zone, as kubelet does with topology.kubernetes.io/zone. */
    public synchronized void register(String node, String zone) {
        zones.put(node, zone);
        register(node);
    }

    /** Deletes a Node (kubectl delete node); zone watchers see its label go. */
    public void delete(String node) {
        boolean labelled;
        synchronized (this) {
            Map<String, String> labels = nodes.remove(node);
            labelled = labels != null && !labels.isEmpty();
        }
        if (labelled) {
            zoneWatchers.forEach(Runnable::run);
        }
    }

    @Override
    public synchronized ZoneWatch watchZone(String zone, String labelKey, String labelValue, Runnable onRelease) {
        call("watchZone " + zone);
        Runnable watcher = onRelease;
        zoneWatchers.add(watcher);
        return new ZoneWatch() {
            @Override
            public Optional<Boolean> busy(java.time.Instant since) {
                synchronized (FakeNodes.this) {
                    return Optional.of(nodes.entrySet().stream().anyMatch(e -> zone.equals(zones.get(e.getKey()))
                            && (labelValue.equals(e.getValue().get(labelKey)) || claimedSince(e.getKey(), since))));
                }
            }

            @Override
            public boolean active() {
                return true;
            }

            @Override
            public void close() {
                zoneWatchers.remove(watcher);
            }
        };
    }

    @Override
    public void close() {}
}
