package io.multuseni.labels;

import io.multuseni.config.Network;
import io.multuseni.kube.Nodes;
import io.multuseni.node.Held;
import io.multuseni.node.Place;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one network's Node label and annotation. The label means: this node holds the network's ENI,
 * and its interface is on the host under the configured name or inside a pod (host-device moved it there;
 * the pod owns it until its DEL gives it back). It goes when the ENI is no longer attached here, or when
 * the host shows the ENI's MAC under a name that cannot be fixed. The annotation
 * ({@code multus-eni.io/<interface-name>}) says what is held — ENI, addresses, MAC, subnet, zone — for all
 * to see, and comes and goes with the label. Where the interface is, {@link EniReconciler#checkHolding()}
 * decides.
 */
final class NodeLabeler {
    private static final Logger log = LoggerFactory.getLogger(NodeLabeler.class);

    private final String nodeName;
    private final String zone;
    private final Network network;
    private final Supplier<Optional<Held>> held;

    NodeLabeler(String nodeName, String zone, Network network, Supplier<Optional<Held>> held) {
        this.nodeName = nodeName;
        this.zone = zone;
        this.network = network;
        this.held = held;
    }

    /** Why the label should be there, or empty when it should not. */
    private Optional<String> reasonToLabel(Held eni) {
        return Optional.of(eni).filter(e -> e.interfacePlace().labelled())
                .map(e -> e.eniId() + " is attached and its interface is " + (e.interfacePlace() == Place.HOST
                        ? e.interfaceName() + " on the host" : "in a pod"));
    }

    /**
     * One pass over the Node as just read: add or remove the label and the annotation as needed.
     * @return whether the Node carries the label now
     */
    boolean reconcile(Nodes.View node, Nodes nodes) {
        Optional<Held> eni = held.get();
        Optional<String> reason = eni.flatMap(this::reasonToLabel);
        String key = network.nodeLabel().key();
        if (reason.isPresent()) {
            String annotation = eni.get().annotation(zone);
            // The annotation first: whoever sees the label finds what it stands for.
            if (!annotation.equals(node.annotations().get(network.annotationKey()))) {
                nodes.annotate(nodeName, network.annotationKey(), annotation);
            }
            if (!network.nodeLabel().value().equals(node.labels().get(key))) {
                nodes.addLabel(nodeName, key, network.nodeLabel().value());
                log.info("labelled node {} with {}: {}", nodeName, network.nodeLabel(), reason.get());
            }
            return true;
        }
        if (node.labels().containsKey(key)) {
            nodes.removeLabel(nodeName, key);
            log.info("removed label {} from node {}: {}", key, nodeName, eni
                    .map(s -> "the interface of " + s.eniId() + " is " + s.interfacePlace().description)
                    .orElse("this node holds no ENI for " + network.interfaceName()));
        }
        if (node.annotations().containsKey(network.annotationKey())) {
            nodes.annotate(nodeName, network.annotationKey(), null);
        }
        return false;
    }

    /** Removes the label and the annotation whatever the ENI's state: the first step of a release. */
    void unlabel(Nodes.View node, Nodes nodes) {
        String key = network.nodeLabel().key();
        if (node.labels().containsKey(key)) {
            nodes.removeLabel(nodeName, key);
            log.info("removed label {} from node {} before releasing the ENI of {}", key, nodeName,
                    network.interfaceName());
        }
        if (node.annotations().containsKey(network.annotationKey())) {
            nodes.annotate(nodeName, network.annotationKey(), null);
        }
    }

    boolean isLabelled(Nodes.View node) {
        return network.nodeLabel().value().equals(node.labels().get(network.nodeLabel().key()));
    }
}
