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
}
