package io.multuseni.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.environment.Backend;
import io.multuseni.environment.Environment;
import io.multuseni.environment.Environment.Feature;
import io.multuseni.environment.Instance;
import io.multuseni.environment.Scenarios;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SDK's IMDSv2 client against our IMDS stand-in, which shows what the EC2 behind reports about the
 * instance, live. Written once, run against each {@link Backend}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ImdsScenarios extends Scenarios {
    private Instance instance;
    private HttpImds imds;

    ImdsScenarios(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void setUp() {
        instance = env.instance("eu-west-2a", "prod");
        imds = HttpImds.create(instance.imds().endpoint());
    }

    @Test
    void identityComesFromImds() {
        Imds.Identity identity = imds.identity();

        assertThat(identity.instanceId()).isEqualTo(instance.id());
        assertThat(identity.region()).isEqualTo("eu-west-2");
        assertThat(identity.zone()).isEqualTo("eu-west-2a");
        assertThat(identity.localHostname()).isEqualTo(instance.hostname()).startsWith("ip-");
    }

    @Test
    void interfacesAppearOnceTheAttachmentCompletes() throws Exception {
        assertThat(imds.interfaces()).extracting(Imds.AttachedInterface::deviceNumber).containsExactly(0);
        Environment.Eni eni = env.addEni("eu-west-2a", Map.of());
        env.where(Feature.EC2_TIMING, () -> env.world().attachDelay(300));
        env.attach(eni.id(), instance.id(), 1);

        env.where(Feature.EC2_TIMING, () -> assertThat(imds.interfaces()).hasSize(1));
        Imds.AttachedInterface expected = new Imds.AttachedInterface(eni.mac(), eni.id(), 1, 0);
        Instant until = Instant.now().plus(Duration.ofSeconds(5));
        while (!imds.interfaces().contains(expected) && Instant.now().isBefore(until)) {
            Thread.sleep(50);
        }

        assertThat(imds.interfaces()).hasSize(2).contains(expected);
    }

    @Test
    void imdsV1IsRefused() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(instance.imds().endpoint() + "/latest/meta-data/instance-id")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void instanceTagsAndNoticesOfLeavingAreRead() {
        assertThat(imds.instanceTag("eks:cluster-name")).isEqualTo(new Imds.Tag.Shown(Optional.of("prod")));
        assertThat(imds.instanceTag("multus-network-attached")).isEqualTo(new Imds.Tag.Shown(Optional.empty()));
        assertThat(imds.leaving()).isEmpty();

        instance.lifecycleState("Terminated");
        assertThat(imds.leaving()).contains("Auto Scaling lifecycle state Terminated");
        instance.lifecycleState("InService");
        instance.spotAction("{\"action\": \"terminate\", \"time\": \"2026-11-26T16:00:00Z\"}");
        assertThat(imds.leaving()).hasValueSatisfying(v -> assertThat(v).startsWith("spot interruption"));

        instance.metadataTags(false);
        assertThat(imds.instanceTag("eks:cluster-name")).isEqualTo(Imds.Tag.HIDDEN);
    }
}
