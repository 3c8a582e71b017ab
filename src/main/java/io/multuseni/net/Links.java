package io.multuseni.net;

import java.util.Optional;

/** The host's network interfaces, as far as naming the ENI's interface needs them. */
public interface Links {
    /** The name of the interface with this MAC (lower case, colon separated), if one is present. */
    Optional<String> nameOf(String mac);

    /** The MAC of the interface with this name, if one is present. */
    Optional<String> macOf(String name);

    /** Renames an interface: brings it down, renames it and brings it up again if it was up. */
    void rename(String from, String to);

    /** Whether the interface is administratively up (false when it is not on the host). */
    boolean isUp(String name);

    /**
     * Brings the interface up with no address of its own: IPv6 is switched off on it first, so it gets no
     * link-local address, sends no router solicitation and accepts no router advertisement. (A pod's namespace
     * starts it afresh with that namespace's defaults.) Up, because a broadcast interface that stays down is a
     * fault to the EKS node monitoring agent.
     */
    void upWithoutAddresses(String name);
}
