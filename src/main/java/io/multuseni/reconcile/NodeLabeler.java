package io.multuseni.reconcile;

import io.multuseni.config.LabelSpec;
import io.multuseni.kube.Nodes;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the Node label. It means: this node holds the ENI, and its interface is on the host under the
 * configured name or inside a pod (host-device moved it there; the pod owns it until its DEL gives it
 * back). It goes when the ENI is no longer attached here, or when the host shows the ENI's MAC under a
 * name that cannot be fixed. Where the interface is, {@link EniReconciler#checkHolding()} decides.
 */
final class NodeLabeler {
    private static final Logger log = LoggerFactory.getLogger(NodeLabeler.class);

    /** Where a pass left the Node. */
    enum State { NOT_REGISTERED, LABELLED, UNLABELLED }

    private final String nodeName;
    private final LabelSpec label;
    private final Supplier<Optional<Status>> held;

    NodeLabeler(String nodeName, LabelSpec label, Supplier<Optional<Status>> held) {
        this.nodeName = nodeName;
        this.label = label;
        this.held = held;
    }

    String nodeName() {
        return nodeName;
    }

    /** Why the label should be there, or empty when it should not. */
    private Optional<String> reasonToLabel() {
        return held.get().filter(eni -> eni.interfacePlace().labelled())
                .map(eni -> eni.eniId() + " is attached and its interface is " + (eni.interfacePlace() == Place.HOST
                        ? eni.interfaceName() + " on the host" : "in a pod"));
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
                    .map(s -> "the interface of " + s.eniId() + " is " + s.interfacePlace().description)
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
