package io.multuseni.standin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IMDS lagging behind EC2, on demand: it is eventually consistent, so it can omit an interface that is
 * attached (after a reboot, right after an attach) and keep listing one that is gone.
 */
public final class ImdsLag {
    private final Set<String> omitted = ConcurrentHashMap.newKeySet();
    private final Map<String, InstanceMetadata.Nic> kept = new ConcurrentHashMap<>();

    /** While {@code omit} holds, the interface with this MAC is not listed even though it is attached. */
    public void omit(String mac, boolean omit) {
        if (omit) {
            omitted.add(mac);
        } else {
            omitted.remove(mac);
        }
    }

    /** The interface with this MAC, one of {@code attachedNow}, stays listed after it is detached, until forgotten. */
    public void keepListing(String mac, List<InstanceMetadata.Nic> attachedNow) {
        attachedNow.stream().filter(n -> n.mac().equals(mac)).findFirst().ifPresent(n -> kept.put(mac, n));
    }

    public void forget(String mac) {
        kept.remove(mac);
    }

    /** What IMDS lists, given what is attached. */
    public List<InstanceMetadata.Nic> listed(List<InstanceMetadata.Nic> attached) {
        List<InstanceMetadata.Nic> nics = new ArrayList<>(attached);
        nics.removeIf(n -> omitted.contains(n.mac()));
        kept.values().stream().filter(k -> nics.stream().noneMatch(n -> n.mac().equals(k.mac()))).forEach(nics::add);
        return nics;
    }
}
