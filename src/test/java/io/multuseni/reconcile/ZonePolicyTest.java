package io.multuseni.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.config.LabelSpec;
import io.multuseni.kube.Nodes.View;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The zone's rule, the one the API server's watch and the fakes both apply. */
class ZonePolicyTest {
    private static final String KEY = "cluster.custom.tags/multus-attached";
    private static final String CLAIM = "multus-eni.io/claim-multus";
    private final ZonePolicy policy = new ZonePolicy(new LabelSpec(KEY, "true"), CLAIM);
    private final Instant since = Instant.parse("2026-11-27T10:00:00Z");

    private static View node(Map<String, String> labels, Map<String, String> annotations) {
        return new View("n", labels, annotations);
    }

    @Test
    void aNodeSpeaksForTheZonesEniWhileItHoldsItOrClaimedItRecently() {
        assertThat(policy.spokenFor(node(Map.of(KEY, "true"), Map.of()), since)).isTrue();
        assertThat(policy.spokenFor(node(Map.of(KEY, "false"), Map.of()), since)).isFalse();
        assertThat(policy.spokenFor(node(Map.of(), Map.of(CLAIM, "2026-11-27T10:00:05Z")),
                since)).isTrue();
        assertThat(policy.spokenFor(node(Map.of(), Map.of(CLAIM, "2026-11-27T09:59:00Z")),
                since)).as("a stale claim").isFalse();
        assertThat(policy.spokenFor(node(Map.of(), Map.of(CLAIM, "soon")), since)).isFalse();
        // since is now less the claim's 30 s: now is 10:00:30, and another clock may be 5 s ahead.
        assertThat(policy.spokenFor(node(Map.of(), Map.of(CLAIM, "2026-11-27T10:00:35Z")), since)).isTrue();
        assertThat(policy.spokenFor(node(Map.of(), Map.of(CLAIM, "2026-11-27T10:00:36Z")), since))
                .as("a claim from the future").isFalse();
        assertThat(policy.spokenFor(node(Map.of(), Map.of(CLAIM, "2027-11-27T10:00:00Z")), since))
                .as("a claim dated next year").isFalse();
    }

    @Test
    void theEniIsReleasedOnlyWhenAHolderStopsHoldingOrGoesAway() {
        View holder = node(Map.of(KEY, "true"), Map.of());
        View plain = node(Map.of(), Map.of());
        assertThat(policy.released(holder, plain)).isTrue();
        assertThat(policy.released(holder, null)).isTrue();
        assertThat(policy.released(holder, node(Map.of(KEY, "true", "other", "x"), Map.of()))).isFalse();
        assertThat(policy.released(plain, null)).as("a standby going away frees nothing").isFalse();
        assertThat(policy.released(node(Map.of("other", "x"), Map.of()), plain)).as("another label").isFalse();
    }
}
