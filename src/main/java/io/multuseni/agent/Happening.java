package io.multuseni.agent;

import io.multuseni.node.Held;
import java.time.Duration;

/** Something that happened to one network on this node: what the Node's Events tell. */
public sealed interface Happening {
    /** The network's id. */
    String network();

    /**
     * This node attached a free ENI.
     *
     * @param took from the start of the boot or the look that took it
     * @param from the Node that let go of this very ENI just before (a takeover), or null
     */
    record Attached(String network, Held held, String interfaceName, Duration took, String from) implements Happening {}

    /** The ENI was already attached to this instance (a restart, a reload) and is kept. */
    record Adopted(String network, Held held, String interfaceName) implements Happening {}

    /** The ENI is being let go, and why (the daemon stopping, the instance leaving). */
    record Released(String network, String eniId, String why) implements Happening {}

    /** The held ENI was detached behind this node's back, EC2 confirming it. */
    record Lost(String network, String eniId) implements Happening {}

    /** No ENI for the network, and why (all held, none tagged in the zone, …). */
    record Standby(String network, String why) implements Happening {}

    /** IMDS no longer lists the held ENI while EC2 has it attached: kept. */
    record ImdsLag(String network, String eniId) implements Happening {}

    /** The held ENI's interface is on the host under another name and could not be given its own. */
    record Misnamed(String network, String eniId, String interfaceName) implements Happening {}

    /** A failure that waiting alone does not mend: denied, the attachment limit, the name taken. */
    record Failed(String network, String why) implements Happening {}
}
