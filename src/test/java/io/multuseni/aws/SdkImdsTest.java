package io.multuseni.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.standin.StandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK's IMDSv2 client against the IMDS stand-in, which reflects attachments live. */
class SdkImdsTest {
    private StandIn standIn;
    private SdkImds imds;

    @BeforeEach
    void setUp() {
        standIn = new StandIn("eu-west-2");
        standIn.instance("i-1", "eu-west-2a", "prod");
        imds = SdkImds.create(standIn.imds("i-1").endpoint());
    }

    @AfterEach
    void tearDown() {
        imds.close();
        standIn.close();
    }

    @Test
    void identityComesFromImds() {
        Imds.Identity identity = imds.identity();

        assertThat(identity.instanceId()).isEqualTo("i-1");
        assertThat(identity.region()).isEqualTo("eu-west-2");
        assertThat(identity.zone()).isEqualTo("eu-west-2a");
        assertThat(identity.localHostname()).endsWith(".eu-west-2.compute.internal");
    }

    @Test
    void interfacesAppearOnceTheAttachmentCompletes() throws Exception {
        assertThat(imds.interfaces()).extracting(Imds.AttachedInterface::deviceNumber).containsExactly(0);
        var eni = standIn.world.addEni("eu-west-2a", Map.of());
        standIn.world.attachDelay(300);
        standIn.world.attach(eni.id, "i-1", 1, 0);

        assertThat(imds.interfaces()).hasSize(1);
        Thread.sleep(600);

        assertThat(imds.interfaces()).contains(new Imds.AttachedInterface(eni.mac, eni.id, 1, 0));
    }

    @Test
    void theStandInRefusesImdsV1() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(standIn.imds("i-1").endpoint() + "/latest/meta-data/instance-id")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void instanceTagsAndNoticesOfLeavingAreRead() {
        var instance = standIn.world.instance("i-1");
        assertThat(imds.instanceTag("eks:cluster-name")).contains(java.util.Optional.of("prod"));
        assertThat(imds.instanceTag("multus-network-attached")).contains(java.util.Optional.empty());
        assertThat(imds.leaving()).isEmpty();

        instance.lifecycleState = "Terminated";
        assertThat(imds.leaving()).contains("Auto Scaling lifecycle state Terminated");
        instance.lifecycleState = "InService";
        instance.spotAction = "{\"action\": \"terminate\", \"time\": \"2026-11-26T16:00:00Z\"}";
        assertThat(imds.leaving()).hasValueSatisfying(v -> assertThat(v).startsWith("spot interruption"));

        instance.metadataTags = false;
        assertThat(imds.instanceTag("eks:cluster-name")).isEmpty();
    }
}
