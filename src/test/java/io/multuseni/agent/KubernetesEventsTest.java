package io.multuseni.agent;

import io.multuseni.aws.Eni;
import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.kube.Nodes;
import io.multuseni.node.Held;
import io.multuseni.node.Place;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each happening as the Event an operator reads in kubectl describe node: its reason, type and message. */
class KubernetesEventsTest {
    private static final Held HELD = new Held("eni-0a1", "0a:00:00:00:00:01", List.of("10.0.9.1", "10.0.9.2"),
            "subnet-1", 1, "eni-attach-1", Eni.AttachmentState.ATTACHED, "multus", true, Place.HOST);

    static Stream<Arguments> happenings() {
        return Stream.of(
                Arguments.of(new Happening.Attached("default", HELD, "multus", Duration.ofMillis(2300), null),
                        "MultusEniAttached", "Normal",
                        "attached eni-0a1 (10.0.9.1, 10.0.9.2) at device index 1 as multus for network default in"
                                + " 2.3 s"),
                Arguments.of(new Happening.Attached("sig", HELD, "multus-sig", Duration.ofSeconds(2), "ip-10-0-1-11"),
                        "MultusEniTakenOver", "Normal",
                        "took over eni-0a1 (10.0.9.1, 10.0.9.2) at device index 1 as multus-sig for network sig from"
                                + " node ip-10-0-1-11, which let go of it"),
                Arguments.of(new Happening.Adopted("default", HELD, "multus"), "MultusEniAdopted", "Normal",
                        "kept eni-0a1 (10.0.9.1, 10.0.9.2) at device index 1 as multus for network default, already"
                                + " attached to this instance"),
                Arguments.of(new Happening.Released("default", "eni-0a1", "multus-eni is stopping"),
                        "MultusEniReleased", "Normal", "releasing eni-0a1 of network default: multus-eni is stopping"),
                Arguments.of(new Happening.Lost("default", "eni-0a1"), "MultusEniLost", "Warning",
                        "eni-0a1 of network default was detached behind this node's back (EC2 confirms); the label is"
                                + " off and a free ENI is looked for"),
                Arguments.of(new Happening.Standby("default", "no free ENI matches multus=true"), "MultusEniStandby",
                        "Normal", "network default holds no ENI: no free ENI matches multus=true"),
                Arguments.of(new Happening.ImdsLag("default", "eni-0a1"), "MultusEniImdsLag", "Warning",
                        "IMDS no longer lists eni-0a1 of network default while EC2 has it attached to this instance;"
                                + " kept"),
                Arguments.of(new Happening.Misnamed("default", "eni-0a1", "multus"), "MultusEniInterfaceMisnamed",
                        "Warning", "the interface of eni-0a1 of network default is not named multus; the Node label"
                                + " is off until it is"),
                Arguments.of(new Happening.Failed("default", "instance i-1 cannot take another network interface"),
                        "MultusEniFailed", "Warning",
                        "network default: instance i-1 cannot take another network interface"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("happenings")
    void eachHappeningIsOneReasonWithItsTypeAndAMessageThatNamesTheNetwork(Happening happening, String reason,
                                                                         String type, String message) {
        Nodes.Event event = KubernetesEvents.eventOf(happening);

        assertThat(event.reason()).isEqualTo(reason);
        assertThat(event.warning() ? "Warning" : "Normal").isEqualTo(type);
        assertThat(event.message()).isEqualTo(message);
    }
}
