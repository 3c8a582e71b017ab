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
    public synchronized void removeLabel(String node, String key) {
        call("unlabel " + node + " " + key);
        Optional.ofNullable(nodes.get(node)).ifPresent(l -> l.remove(key));
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
    public void close() {}
}
