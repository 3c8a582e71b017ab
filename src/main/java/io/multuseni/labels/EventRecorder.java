package io.multuseni.labels;

import io.multuseni.errors.Causes;
import io.multuseni.kube.KubeFailure;
import io.multuseni.kube.Nodes;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Node's Events, written on the Kubernetes thread so that writing them never holds up the ENI work. An Event
 * that happens again (the same reason, message and type) is one more on its count with a new last time, as
 * Kubernetes' own recorder aggregates, rather than a new Event per check. An Event that cannot be written yet (no
 * kubeconfig at boot, the API server down) waits, folded with its repeats, and is written at the next chance: the
 * next Event or the label loop's next pass. A refusal by the API server (the node's rights lack Events) is said once,
 * as a warning, until writing works again; not reaching it at all is the label loop's to say.
 */
public final class EventRecorder {
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    /** Events waiting to be written: past it the oldest are dropped (an outage of hours, a standby's looks). */
    static final int MAX_WAITING = 50;
    /** Events written that a repeat may add to: past it the oldest are forgotten (a repeat then starts anew). */
    static final int MAX_REMEMBERED = 100;

    private final String nodeName;
    private final KubeThread kube;
    private final Clock clock;
    // On the Kubernetes thread only.
    private final Map<Nodes.Event, Occurrences> waiting = new LinkedHashMap<>();
    private final Map<Nodes.Event, Written> written = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Nodes.Event, Written> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    private boolean failing;

    /** How often an Event happened, and when first and last, not yet written. */
    private static final class Occurrences {
        int count;
        final Instant first;
        Instant last;

        Occurrences(Instant at) {
            first = at;
            last = at;
        }
    }

    /** An Event as written: its name, and the count the API server has. */
    private record Written(String name, int count) {}

    EventRecorder(String nodeName, KubeThread kube, Clock clock) {
        this.nodeName = nodeName;
        this.kube = kube;
        this.clock = clock;
    }

    /** Records the Event as happening now; returns at once, the writing is the Kubernetes thread's. */
    public void record(Nodes.Event event) {
        Instant at = clock.instant();
        kube.submit(() -> {
            add(event, at);
            flush();
        });
    }

    private void add(Nodes.Event event, Instant at) {
        Occurrences o = waiting.computeIfAbsent(event, e -> new Occurrences(at));
        o.count++;
        o.last = at;
        if (waiting.size() > MAX_WAITING) {
            Iterator<Nodes.Event> oldest = waiting.keySet().iterator();
            log.debug("dropping the Event {} of Node {}: {} wait already", oldest.next().reason(), nodeName,
                    MAX_WAITING);
            oldest.remove();
        }
    }

    /** Writes what waits, in order; at the first failure the rest waits for the next chance. On the Kubernetes thread. */
    void flush() {
        if (waiting.isEmpty()) {
            return;
        }
        try {
            Nodes nodes = kube.client();
            for (Iterator<Map.Entry<Nodes.Event, Occurrences>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Nodes.Event, Occurrences> e = it.next();
                write(nodes, e.getKey(), e.getValue());
                it.remove();
            }
            if (failing) {
                log.info("Events are written on Node {} again", nodeName);
                failing = false;
            }
        } catch (RuntimeException e) {
            boolean refused = e instanceof KubeFailure f && f.status() > 0;
            if (refused && !failing) {
                log.warn("cannot write Events on Node {}: {}; the ENI work goes on, and Events are tried again with"
                        + " the next one (the node's identity needs create and patch on events, as system:nodes has)",
                        nodeName, Causes.of(e));
            } else {
                log.debug("the Events of Node {} wait: {}", nodeName, Causes.of(e));
            }
            failing |= refused;
        }
    }

    private void write(Nodes nodes, Nodes.Event event, Occurrences o) {
        Written before = written.get(event);
        if (before != null && nodes.repeatEvent(before.name(), before.count() + o.count, o.last)) {
            written.put(event, new Written(before.name(), before.count() + o.count));
            return;
        }
        written.put(event, new Written(nodes.createEvent(nodeName, event, o.count, o.first, o.last), o.count));
    }
}
