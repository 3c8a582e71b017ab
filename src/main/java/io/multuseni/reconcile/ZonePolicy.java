package io.multuseni.reconcile;

import io.multuseni.config.LabelSpec;
import io.multuseni.config.Network;
import io.multuseni.kube.Nodes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * When a zone's ENI is spoken for, and when it is let go — one rule, which the API server's watch and the
 * test fakes both apply. A Node speaks for it while it carries the label (it holds the ENI) or claimed the
 * ENI recently (it is taking it); the ENI is let go when a Node that carried the label stops carrying it
 * or goes away.
 */
public record ZonePolicy(LabelSpec label, String claimAnnotation) implements Nodes.ZoneRules {
    /** How far another node's clock may be ahead of ours (EC2's time sync keeps them within milliseconds). */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /**
     * A network's rule: its label, and its claim annotation ({@link Network#claimAnnotationKey()}), which a node
     * sets on itself while it tries to take the network's free ENI: the time it started.
     */
    public static ZonePolicy of(Network network) {
        return new ZonePolicy(network.nodeLabel(), network.claimAnnotationKey());
    }

    boolean holds(Nodes.View node) {
        return label.value().equals(node.labels().get(label.key()));
    }

    @Override
    public boolean spokenFor(Nodes.View node, Instant claimsSince) {
        return holds(node) || claimedSince(node, claimsSince);
    }

    @Override
    public boolean released(Nodes.View before, Nodes.View after) {
        return holds(before) && (after == null || !holds(after));
    }

    /**
     * A claim counts while it is younger than {@link LabelLoop#CLAIM_TTL}: made at or after {@code since} (now less
     * the TTL), and not after now (give or take {@link #CLOCK_SKEW}): a claim dated in the future is no claim, or one
     * dated next year would keep the zone's standbys away for a year.
     */
    private boolean claimedSince(Nodes.View node, Instant since) {
        String claim = node.annotations().get(claimAnnotation);
        try {
            Instant at = claim == null ? null : Instant.parse(claim);
            return at != null && !at.isBefore(since) && !at.isAfter(since.plus(LabelLoop.CLAIM_TTL).plus(CLOCK_SKEW));
        } catch (DateTimeParseException e) {
            return false; // someone else's value: not a claim of ours
        }
    }
}
