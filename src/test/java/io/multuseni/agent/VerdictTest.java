package io.multuseni.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.agent.NodeAgent.Verdict;
import io.multuseni.aws.AwsFailure;
import io.multuseni.aws.ImdsFailure;
import io.multuseni.kube.KubeFailure;
import io.multuseni.net.LinkFailure;
import io.multuseni.node.ReconcileFailure;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one table of what a lane's failure means: retry quietly, or stand by saying why (fatal when every lane). */
class VerdictTest {
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(aws(AwsFailure.Kind.OTHER), Verdict.RETRY),
                Arguments.of(aws(AwsFailure.Kind.UNAUTHORIZED), Verdict.NEEDS_FIXING),
                Arguments.of(aws(AwsFailure.Kind.LIMIT), Verdict.NEEDS_FIXING),
                Arguments.of(aws(AwsFailure.Kind.CONFLICT), Verdict.NEEDS_FIXING),
                Arguments.of(aws(AwsFailure.Kind.NOT_FOUND), Verdict.NEEDS_FIXING),
                Arguments.of(new ReconcileFailure("interface name 'multus' is held by another interface"),
                        Verdict.NEEDS_FIXING),
                Arguments.of(new ImdsFailure("IMDS did not answer", null), Verdict.RETRY),
                Arguments.of(new LinkFailure("ip link set failed"), Verdict.RETRY),
                Arguments.of(new KubeFailure("API server unreachable", null), Verdict.RETRY),
                Arguments.of(new IllegalStateException("anything else"), Verdict.RETRY));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void eachFailureHasOneMeaning(RuntimeException failure, Verdict expected) {
        assertThat(NodeAgent.classify(failure)).isEqualTo(expected);
    }

    private static AwsFailure aws(AwsFailure.Kind kind) {
        return new AwsFailure(kind, "AttachNetworkInterface", kind.name(), kind.name().toLowerCase(), null);
    }
}
