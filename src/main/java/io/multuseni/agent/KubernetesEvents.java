package io.multuseni.agent;

import io.multuseni.kube.Nodes;
import io.multuseni.labels.EventRecorder;
import io.multuseni.node.Held;
import java.util.Locale;

/**
 * What happened, as Events on the Node: one reason per kind of happening, Normal or Warning as an operator should
 * read it, and a message naming the network and the ENI. A message says nothing that changes from one check to the
 * next, so a repeat adds to the Event's count rather than writing another.
 */
public final class KubernetesEvents implements NodeEvents {
    private final EventRecorder recorder;

    public KubernetesEvents(EventRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void happened(Happening happening) {
        recorder.record(eventOf(happening));
    }

    /** The Event a happening is told as. */
    static Nodes.Event eventOf(Happening happening) {
        String network = "network " + happening.network();
        if (happening instanceof Happening.Attached a) {
            return a.from() != null
                    ? new Nodes.Event("MultusEniTakenOver", "took over " + describe(a.held(), a.interfaceName())
                            + " for " + network + " from node " + a.from() + ", which let go of it", false)
                    : new Nodes.Event("MultusEniAttached", "attached " + describe(a.held(), a.interfaceName())
                            + " for " + network + " in " + String.format(Locale.ROOT, "%.1f s", a.took().toMillis() / 1000.0),
                            false);
        }
        if (happening instanceof Happening.Adopted a) {
            return new Nodes.Event("MultusEniAdopted", "kept " + describe(a.held(), a.interfaceName()) + " for "
                    + network + ", already attached to this instance", false);
        }
        if (happening instanceof Happening.Released r) {
            return new Nodes.Event("MultusEniReleased", "releasing " + r.eniId() + " of " + network + ": " + r.why(),
                    false);
        }
        if (happening instanceof Happening.Lost l) {
            return new Nodes.Event("MultusEniLost", l.eniId() + " of " + network + " was detached behind this node's"
                    + " back (EC2 confirms); the label is off and a free ENI is looked for", true);
        }
        if (happening instanceof Happening.Standby s) {
            return new Nodes.Event("MultusEniStandby", network + " holds no ENI: " + s.why(), false);
        }
        if (happening instanceof Happening.ImdsLag i) {
            return new Nodes.Event("MultusEniImdsLag", "IMDS no longer lists " + i.eniId() + " of " + network
                    + " while EC2 has it attached to this instance; kept", true);
        }
        if (happening instanceof Happening.Misnamed m) {
            return new Nodes.Event("MultusEniInterfaceMisnamed", "the interface of " + m.eniId() + " of " + network
                    + " is not named " + m.interfaceName() + "; the Node label is off until it is", true);
        }
        return new Nodes.Event("MultusEniFailed", network + ": " + ((Happening.Failed) happening).why(), true);
    }

    private static String describe(Held held, String interfaceName) {
        return held.eniId() + " (" + String.join(", ", held.privateIps()) + ") at device index " + held.deviceIndex()
                + " as " + interfaceName;
    }
}
