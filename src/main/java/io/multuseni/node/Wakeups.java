package io.multuseni.node;

import io.multuseni.config.Network;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What wakes the node's loop before its next step is due, from the other threads: a reload (the signal
 * thread), or a Node of the zone letting go of a network's ENI (the Kubernetes thread). Only this crosses
 * into the loop's thread; the loop takes the news at its next step and decides there. One per process, so a
 * reload's new session and agent share it with the loop that waits on it.
 */
public final class Wakeups {
    private final Semaphore permits = new Semaphore(0);
    private final Map<String, Release> zoneReleases = new ConcurrentHashMap<>();

    /**
     * A Node of the zone letting go of a network's ENI.
     *
     * @param eniId the ENI its annotation named, or null when it named none
     */
    public record Release(String node, String eniId) {}

    public void wake() {
        permits.release();
    }

    /** A Node of this zone lost the network's label or went away: its standby here should look at once. */
    public void zoneReleased(Network network, Release release) {
        zoneReleases.put(network.id(), release);
        wake();
    }

    /** The last release of the network's ENI seen since the last time this was asked, if any. */
    public Optional<Release> takeZoneRelease(Network network) {
        return Optional.ofNullable(zoneReleases.remove(network.id()));
    }

    /**
     * Waits until woken, or for at most {@code wait}; wakes that came meanwhile count as one.
     *
     * @return whether it was woken (rather than the wait running out)
     */
    public boolean await(Duration wait) throws InterruptedException {
        boolean woken = permits.tryAcquire(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        permits.drainPermits();
        return woken;
    }
}
