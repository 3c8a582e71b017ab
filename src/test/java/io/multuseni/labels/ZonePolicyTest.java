package io.multuseni.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.config.LabelSpec;
import io.multuseni.kube.Nodes.View;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The zone's rule, which the label loop applies to what the API server's watch, or a fake's, shows. */
class ZonePolicyTest {
    private static final String KEY = "cluster.custom.tags/multus-attached";
    private static final String CLAIM = "multus-eni.io/claim-multus";
    private final ZonePolicy policy = new ZonePolicy(new LabelSpec(KEY, "true"), CLAIM);
    private final Instant now = Instant.parse("2026-11-27T10:00:00Z");

    private static View node(Map<String, String> labels, Map<String, String> annotations) {
        return new View("n", labels, annotations);
    }

    private static View claimed(String at) {
        return node(Map.of(), Map.of(CLAIM, at));
    }

    @Test
    void aNodeSpeaksForTheZonesEniWhileItHoldsItOrClaimedItRecently() {
        assertThat(policy.spokenFor(node(Map.of(KEY, "true"), Map.of()), now)).isTrue();
        assertThat(policy.spokenFor(node(Map.of(KEY, "false"), Map.of()), now)).isFalse();
        assertThat(policy.spokenFor(claimed("2026-11-27T09:59:55Z"), now)).isTrue();
        assertThat(policy.spokenFor(claimed("soon"), now)).as("someone else's value").isFalse();
        assertThat(policy.spokenFor(claimed("2026-11-27T10:00:05Z"), now)).as("a clock 5 s ahead").isTrue();
        assertThat(policy.spokenFor(claimed("2026-11-27T10:00:06Z"), now)).as("a claim from the future").isFalse();
        assertThat(policy.spokenFor(claimed("2027-11-27T10:00:00Z"), now)).as("a claim dated next year").isFalse();
        assertThat(policy.spokenFor(claimed("2026-11-27T09:49:59Z"), now)).as("one left behind").isFalse();
    }

    /** Whatever the claimer's clock says, a claim keeps others away for its 30 s from when it was first seen. */
    @Test
    void aClaimCountsForItsWindowFromWhenThisNodeFirstSawIt() {
        View behind = claimed("2026-11-27T09:58:00Z"); // the claimer's clock two minutes behind
        policy.saw("n", behind, now);
        assertThat(policy.spokenFor(behind, now.plusSeconds(29))).isTrue();
        assertThat(policy.spokenFor(behind, now.plusSeconds(30))).as("its window is over").isFalse();
        assertThat(policy.spokenFor(behind, now.plusSeconds(300))).as("and stays over").isFalse();

        View again = claimed("2026-11-27T10:04:50Z"); // a new claim: a new window
        policy.saw("n", again, now.plusSeconds(300));
        assertThat(policy.spokenFor(again, now.plusSeconds(320))).isTrue();
        policy.saw("n", null, now.plusSeconds(321)); // the Node went away
        assertThat(policy.spokenFor(again, now.plusSeconds(340))).as("seen anew when it comes back").isTrue();
    }

    @Test
    void theEniIsReleasedOnlyWhenAHolderStopsHoldingOrGoesAway() {
        View holder = node(Map.of(KEY, "true"), Map.of());
        View plain = node(Map.of(), Map.of());
        assertThat(policy.released(holder, plain)).isTrue();
        assertThat(policy.released(null, holder)).as("a holder appearing").isFalse();
        assertThat(policy.released(holder, null)).isTrue();
        assertThat(policy.released(holder, node(Map.of(KEY, "true", "other", "x"), Map.of()))).isFalse();
        assertThat(policy.released(plain, null)).as("a standby going away frees nothing").isFalse();
        assertThat(policy.released(node(Map.of("other", "x"), Map.of()), plain)).as("another label").isFalse();
    }
}
