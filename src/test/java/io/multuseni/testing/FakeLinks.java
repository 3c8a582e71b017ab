package io.multuseni.testing;

import io.multuseni.net.LinkFailure;
import io.multuseni.net.Links;
import io.multuseni.standin.HotPlug;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * In-memory interfaces for unit tests, plugged by the EC2 world as the kernel would: an attached
 * ENI appears as {@code eth<device index>} (after an optional delay on the test clock) and goes on detach.
 */
public final class FakeLinks implements Links, HotPlug {
    private record Link(String mac, Instant visibleFrom) {}

    private final Clock clock;
    private final Map<String, Link> byName = new LinkedHashMap<>();
    private final List<String> renames = new ArrayList<>();
    private final Map<String, String> racing = new HashMap<>();
    /** Interfaces that are up, and those brought up by {@link #upWithoutAddresses} (IPv6 off) since they came. */
    private final Set<String> up = new HashSet<>();
    private final Set<String> addressless = new HashSet<>();
    private Duration appearDelay = Duration.ZERO;
    private boolean neverAppear;

    public FakeLinks(Clock clock) {
        this.clock = clock;
    }

    public synchronized void appearDelay(Duration delay) {
        appearDelay = delay;
    }

    public synchronized void neverAppear() {
        neverAppear = true;
    }

    /** An interface appears, down, as hot-plug or host-device's DEL brings it. */
    public synchronized void add(String name, String mac) {
        byName.put(name, new Link(mac, Instant.MIN));
        gone(name);
    }

    /** The interface leaves the host, as host-device's ADD moves it into a pod ({@link #add} brings it back). */
    public synchronized void remove(String name) {
        byName.remove(name);
        gone(name);
    }

    /** Someone (an operator, another manager) brings it up, with whatever addresses the kernel gives it. */
    public synchronized void bringUp(String name) {
        up.add(name);
    }

    /** Up with IPv6 switched off on it, as multus-eni brings its interfaces up. */
    public synchronized boolean isUpWithoutAddresses(String name) {
        return up.contains(name) && addressless.contains(name);
    }

    private void gone(String name) {
        up.remove(name);
        addressless.remove(name);
    }

    public synchronized List<String> renames() {
        return List.copyOf(renames);
    }

    public synchronized Map<String, String> visible() {
        Map<String, String> result = new LinkedHashMap<>();
        byName.forEach((name, link) -> {
            if (!clock.instant().isBefore(link.visibleFrom)) {
                result.put(name, link.mac);
            }
        });
        return result;
    }

    @Override
    public synchronized void plugged(String mac, int deviceIndex) {
        if (!neverAppear) {
            byName.put("eth" + deviceIndex, new Link(mac, clock.instant().plus(appearDelay)));
        }
    }

    @Override
    public synchronized void unplugged(String mac) {
        byName.entrySet().stream().filter(e -> e.getValue().mac.equals(mac)).map(Map.Entry::getKey).toList()
                .forEach(this::gone);
        byName.values().removeIf(l -> l.mac.equals(mac));
    }

    @Override
    public Optional<String> nameOf(String mac) {
        return visible().entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(mac)).map(Map.Entry::getKey)
                .findFirst();
    }

    @Override
    public Optional<String> macOf(String name) {
        return Optional.ofNullable(visible().get(name));
    }

    /** Someone else (udev applying a .link file) renames {@code from} just before our next rename of it. */
    public synchronized void renamedFirstBySomeoneElse(String from, String to) {
        racing.put(from, to);
    }

    @Override
    public synchronized void rename(String from, String to) {
        String first = racing.remove(from);
        if (first != null) {
            byName.put(first, byName.remove(from));
            throw new LinkFailure("ip link set dev " + from + " name " + to + ": exit 1: Cannot find device \""
                    + from + "\"");
        }
        Link link = byName.remove(from);
        if (link == null || byName.containsKey(to)) {
            throw new IllegalStateException("cannot rename " + from + " to " + to);
        }
        byName.put(to, link);
        renames.add(from + "->" + to);
        // As the kernel: the flags go with the device; the IPv6 settings too.
        if (up.remove(from)) {
            up.add(to);
        }
        if (addressless.remove(from)) {
            addressless.add(to);
        }
    }

    @Override
    public synchronized boolean isUp(String name) {
        return up.contains(name) && macOf(name).isPresent();
    }

    @Override
    public synchronized void upWithoutAddresses(String name) {
        if (macOf(name).isEmpty()) {
            throw new LinkFailure("ip link set dev " + name + " up: exit 1: Cannot find device \"" + name + "\"");
        }
        up.add(name);
        addressless.add(name);
    }
}
