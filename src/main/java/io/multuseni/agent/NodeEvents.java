package io.multuseni.agent;

import io.multuseni.node.Place;
import java.time.Duration;

/**
 * What the node's agent tells its observers as it works (the metrics, for one): roles, checks, errors. The agent
 * knows only this; every method does nothing unless an observer overrides it, so an observer takes what it needs
 * and the core never imports one.
 */
public interface NodeEvents {
    NodeEvents NONE = new NodeEvents() { };

    /** A check or look that went through. */
    default void reconciled() { }

    /** A problem of the node's own, of this kind ({@code imds}, {@code files}, …), once per occurrence. */
    default void error(String kind) { }

    /** A problem of one network's, of this kind ({@code ec2_denied}, {@code links}, …), once per occurrence. */
    default void error(String network, String kind) { }

    default void holding(String network, String eniId, String interfaceName, Place where) { }

    /** EC2 confirmed an ENI still attached that IMDS no longer listed. */
    default void imdsLag() { }

    default void standby(String network) { }

    /** IMDS announced the instance's end and the network's ENI was let go. */
    default void leaving(String network) { }

    /** How long the boot phase took to hold the network's ENI. */
    default void bootAttach(String network, Duration took) { }
}
