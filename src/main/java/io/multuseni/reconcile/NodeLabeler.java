package io.multuseni.reconcile;

import io.multuseni.config.LabelSpec;
import io.multuseni.kube.Nodes;
import io.multuseni.net.Links;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the Node label: present exactly while this node holds an ENI and the interface with the
 * configured name carries that ENI's MAC (DESIGN's safety rule), absent otherwise.
 */
final class NodeLabeler {
    private static final Logger log = LoggerFactory.getLogger(NodeLabeler.class);

    /** Where a pass left the Node. */
    enum State { NOT_REGISTERED, LABELLED, UNLABELLED }

    private final Links links;
    private final String interfaceName;
    private final String nodeName;
    private final LabelSpec label;
    private final Supplier<Optional<Status>> held;

    NodeLabeler(Links links, String interfaceName, String nodeName, LabelSpec label,
                Supplier<Optional<Status>> held) {
        this.links = links;
        this.interfaceName = interfaceName;
        this.nodeName = nodeName;
        this.label = label;
        this.held = held;
    }

    String nodeName() {
        return nodeName;
    }

    /** Why the label should be there, or empty when it should not. */
    private Optional<String> reasonToLabel() {
        Optional<Status> eni = held.get();
        if (eni.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> mac = links.macOf(interfaceName);
        return mac.filter(m -> m.equalsIgnoreCase(eni.get().mac()))
                .map(m -> eni.get().eniId() + " is attached and its interface is " + interfaceName);
    }

    /** One pass: read the Node, add or remove the label as needed. */
    State reconcile(Nodes nodes) {
        Optional<Map<String, String>> labels = nodes.labels(nodeName);
        if (labels.isEmpty()) {
            return State.NOT_REGISTERED;
        }
        Optional<String> reason = reasonToLabel();
        boolean labelled = label.value().equals(labels.get().get(label.key()));
        if (reason.isPresent()) {
            if (!labelled) {
                nodes.addLabel(nodeName, label.key(), label.value());
                log.info("labelled node {} with {}: {}", nodeName, label, reason.get());
            }
            return State.LABELLED;
        }
        if (labels.get().containsKey(label.key())) {
            nodes.removeLabel(nodeName, label.key());
            log.info("removed label {} from node {}: {}", label.key(), nodeName, held.get()
                    .map(s -> "interface " + interfaceName + " with the MAC of " + s.eniId() + " is not present")
                    .orElse("this node holds no ENI"));
        }
        return State.UNLABELLED;
    }

    /** Removes the label whatever the ENI's state: the first step of a release. */
    void unlabel(Nodes nodes) {
        Optional<Map<String, String>> labels = nodes.labels(nodeName);
        if (labels.isPresent() && labels.get().containsKey(label.key())) {
            nodes.removeLabel(nodeName, label.key());
            log.info("removed label {} from node {} before releasing the ENI", label.key(), nodeName);
        }
    }

    Optional<Boolean> isLabelled(Nodes nodes) {
        return nodes.labels(nodeName).map(l -> label.value().equals(l.get(label.key())));
    }
}
