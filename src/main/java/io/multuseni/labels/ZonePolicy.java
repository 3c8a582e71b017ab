package io.multuseni.labels;

import io.multuseni.config.LabelSpec;
import io.multuseni.config.Network;
import io.multuseni.kube.Nodes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a network's ENI in the zone is spoken for, and when it is let go: one rule, which {@link LabelLoop} applies
 * to what the zone watch shows (the API server's or a fake's). A Node speaks for it while it carries the label (it
 * holds the ENI) or claimed the ENI recently (it is taking it); the ENI is let go when a Node that carried the label
 * stops carrying it or goes away.
 */
public final class ZonePolicy {
    /**
     * The label a Node carries while it holds, or is taking, an ENI of any of its networks. The zone watch selects
     * on it, so it sees the few Nodes that matter and never the zone's thousands of others.
     */
    public static final String ACTIVE_LABEL = Network.ANNOTATION_PREFIX + "holding-or-claiming";
    /** How far another node's clock may be ahead of ours (EC2's time sync keeps them within milliseconds). */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
    /** A claim dated longer ago than this was left behind by a claimer that died while taking the ENI. */
    static final Duration LEFT_BEHIND = Duration.ofMinutes(10);

    private final LabelSpec label;
    private final String claimAnnotation;
    /** When this node first saw each Node's current claim, by Node name. */
    private final Map<String, Sighting> sightings = new ConcurrentHashMap<>();

    private record Sighting(String claim, Instant first) {}

    /**
     * @param claimAnnotation the annotation a node sets on itself while it tries to take the network's free ENI
     *     ({@link Network#claimAnnotationKey()}): the time it started
     */
    ZonePolicy(LabelSpec label, String claimAnnotation) {
        this.label = label;
        this.claimAnnotation = claimAnnotation;
    }

    public static ZonePolicy of(Network network) {
        return new ZonePolicy(network.nodeLabel(), network.claimAnnotationKey());
    }

    String claimAnnotation() {
        return claimAnnotation;
    }

    boolean holds(Nodes.View node) {
        return label.value().equals(node.labels().get(label.key()));
    }

    boolean spokenFor(Nodes.View node, Instant now) {
        return holds(node) || claimed(node, now);
    }

    /** Whether this change of a Node ({@code after} null: it went away, or left the watch) lets the ENI go. */
    boolean released(Nodes.View before, Nodes.View after) {
        return before != null && holds(before) && (after == null || !holds(after));
    }

    /** Notes a Node as the watch shows it now ({@code after} of a change; null when it went away). */
    void saw(String name, Nodes.View after, Instant now) {
        String claim = after == null ? null : after.annotations().get(claimAnnotation);
        if (claim == null) {
            sightings.remove(name);
        } else {
            sightings.compute(name, (n, s) -> s != null && s.claim().equals(claim) ? s : new Sighting(claim, now));
        }
    }

    /**
     * A claim counts for {@link LabelLoop#CLAIM_TTL} from when this node first saw it, whatever the claimer's clock
     * says; but one dated in the future (beyond {@link #CLOCK_SKEW}) is no claim, or a claim dated next year would
     * be renewed at every sighting, and one dated before {@link #LEFT_BEHIND} was left by a claimer that died.
     */
    private boolean claimed(Nodes.View node, Instant now) {
        String claim = node.annotations().get(claimAnnotation);
        if (claim == null) {
            return false;
        }
        Instant at;
        try {
            at = Instant.parse(claim);
        } catch (DateTimeParseException e) {
            return false; // someone else's value: not a claim of ours
        }
        if (at.isAfter(now.plus(CLOCK_SKEW)) || at.isBefore(now.minus(LEFT_BEHIND))) {
            return false;
        }
        saw(node.name(), node, now);
        Sighting first = sightings.get(node.name());
        return first != null && now.isBefore(first.first().plus(LabelLoop.CLAIM_TTL));
    }
}
