package io.multuseni.standin;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What was asked of EC2 and what changed, for tests that assert what was (not) called and in which
 * order things happened. Kept by the stand-in's world, and by {@link Ec2Proxy} in front of another EC2.
 */
public final class CallLog {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> mutations = new CopyOnWriteArrayList<>();

    void count(String action) {
        calls.computeIfAbsent(action, k -> new AtomicInteger()).incrementAndGet();
    }

    public int calls(String action) {
        AtomicInteger n = calls.get(action);
        return n == null ? 0 : n.get();
    }

    /** Every action called at least once. */
    public Set<String> actionsCalled() {
        return Set.copyOf(calls.keySet());
    }

    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Puts a change on the timeline (also another system's, such as the API server's). */
    public void record(String change) {
        mutations.add(change);
    }

    /** Every change made, in order, e.g. {@code AttachNetworkInterface eni-… i-… 1}. */
    public List<String> mutations() {
        return List.copyOf(mutations);
    }
}
