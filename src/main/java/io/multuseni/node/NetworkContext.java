package io.multuseni.node;

import io.multuseni.config.Network;

/**
 * One network as this node sees it: the ENIs it selects (placeholders filled in for this cluster and
 * zone) and the instance tag that says it holds one.
 */
public record NetworkContext(Network network, Selector selector, String instanceTagKey, String instanceTagValue) {
    public String interfaceName() {
        return network.interfaceName();
    }
}
