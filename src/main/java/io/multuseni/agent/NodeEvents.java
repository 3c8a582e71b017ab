package io.multuseni.agent;

import io.multuseni.node.Place;
import java.time.Duration;
import java.util.List;

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

    /** Something that happened to one network, as the Node's Events tell it. */
    default void happened(Happening happening) { }

    /** Tells each observer, in order. */
    static NodeEvents all(List<NodeEvents> observers) {
        return new NodeEvents() {
            @Override
            public void reconciled() {
                observers.forEach(NodeEvents::reconciled);
            }

            @Override
            public void error(String kind) {
                observers.forEach(o -> o.error(kind));
            }

            @Override
            public void error(String network, String kind) {
                observers.forEach(o -> o.error(network, kind));
            }

            @Override
            public void holding(String network, String eniId, String interfaceName, Place where) {
                observers.forEach(o -> o.holding(network, eniId, interfaceName, where));
            }

            @Override
            public void imdsLag() {
                observers.forEach(NodeEvents::imdsLag);
            }

            @Override
            public void standby(String network) {
                observers.forEach(o -> o.standby(network));
            }

            @Override
            public void leaving(String network) {
                observers.forEach(o -> o.leaving(network));
            }

            @Override
            public void bootAttach(String network, Duration took) {
                observers.forEach(o -> o.bootAttach(network, took));
            }

            @Override
            public void happened(Happening happening) {
                observers.forEach(o -> o.happened(happening));
            }
        };
    }
}
