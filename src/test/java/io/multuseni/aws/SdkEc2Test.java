package io.multuseni.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multuseni.standin.Ec2World;
import io.multuseni.standin.StandIn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real AWS SDK over HTTP against the EC2 stand-in: filters, asynchronous attach, errors, retries. */
class SdkEc2Test {
    private StandIn standIn;
    private SdkEc2 ec2;
    private Ec2World.Eni ours;
    private Ec2World.Eni otherZone;

    @BeforeEach
    void setUp() {
        standIn = new StandIn("eu-west-2");
        standIn.instance("i-1", "eu-west-2a", "prod");
        standIn.instance("i-2", "eu-west-2a", "prod");
        ours = standIn.world.addEni("eu-west-2a", Map.of("multus", "true", "cluster", "prod"));
        otherZone = standIn.world.addEni("eu-west-2b", Map.of("multus", "true", "cluster", "prod"));
        ec2 = SdkEc2.create("eu-west-2", standIn.ec2.endpoint(), false);
    }

    @AfterEach
    void tearDown() {
        ec2.close();
        standIn.close();
    }

    private List<String> ids(Map<String, String> filters) {
        return ec2.describeNetworkInterfaces(filters).stream().map(Eni::id).toList();
    }

    @Test
    void filtersSelectByTagZoneStatusAndInstance() {
        assertThat(ids(Map.of("tag:multus", "true"))).containsExactly(ours.id, otherZone.id);
        assertThat(ids(Map.of("tag:multus", "true", "availability-zone", "eu-west-2a"))).containsExactly(ours.id);
        assertThat(ids(Map.of("tag:cluster", "staging"))).isEmpty();
        assertThat(ids(Map.of("tag-key", "multus", "status", "available"))).containsExactly(ours.id, otherZone.id);
        assertThat(ids(Map.of("network-interface-id", ours.id))).containsExactly(ours.id);

        ec2.attachNetworkInterface(ours.id, "i-1", 1);

        assertThat(ids(Map.of("tag:multus", "true", "status", "available"))).containsExactly(otherZone.id);
        assertThat(ids(Map.of("attachment.instance-id", "i-1"))).hasSize(2).contains(ours.id);
    }

    @Test
    void attachIsAsynchronousAndDetachFreesTheEni() throws Exception {
        standIn.world.attachDelay(400);
        String attachmentId = ec2.attachNetworkInterface(ours.id, "i-1", 1);

        Eni attaching = ec2.describeNetworkInterfaces(Map.of("network-interface-id", ours.id)).get(0);
        assertThat(attaching.attachment().orElseThrow().status()).isEqualTo("attaching");
        assertThat(attaching.attachment().orElseThrow().id()).isEqualTo(attachmentId);
        assertThat(attaching.mac()).isEqualTo(ours.mac);
        Thread.sleep(800);
        Eni attached = ec2.describeNetworkInterfaces(Map.of("network-interface-id", ours.id)).get(0);
        assertThat(attached.attachment().orElseThrow().status()).isEqualTo("attached");
        assertThat(attached.attachment().orElseThrow().deviceIndex()).isEqualTo(1);
        assertThat(attached.isAttachedTo("i-1")).isTrue();

        ec2.detachNetworkInterface(attachmentId);
        assertThat(ec2.describeNetworkInterfaces(Map.of("network-interface-id", ours.id)).get(0).status())
                .isEqualTo("detaching");
        Thread.sleep(800);
        Eni free = ec2.describeNetworkInterfaces(Map.of("network-interface-id", ours.id)).get(0);
        assertThat(free.status()).isEqualTo("available");
        assertThat(free.attachment()).isEmpty();
    }

    @Test
    void anEniInUseIsAConflict() {
        ec2.attachNetworkInterface(ours.id, "i-2", 1);

        assertThatThrownBy(() -> ec2.attachNetworkInterface(ours.id, "i-1", 1)).isInstanceOfSatisfying(
                AwsFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(AwsFailure.Kind.CONFLICT);
                    assertThat(f.code()).isEqualTo("InvalidParameterValue");
                    assertThat(f.getMessage()).contains("in use");
                });
    }

    @Test
    void aDeviceIndexInUseIsAConflict() {
        Ec2World.Eni second = standIn.world.addEni("eu-west-2a", Map.of());
        ec2.attachNetworkInterface(second.id, "i-1", 1);

        assertThatThrownBy(() -> ec2.attachNetworkInterface(ours.id, "i-1", 1))
                .isInstanceOfSatisfying(AwsFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(AwsFailure.Kind.CONFLICT);
                    assertThat(f.getMessage()).contains("device index '1'");
                });
    }

    @Test
    void anEniOfAnotherZoneCannotBeAttached() {
        assertThatThrownBy(() -> ec2.attachNetworkInterface(otherZone.id, "i-1", 1))
                .isInstanceOfSatisfying(AwsFailure.class,
                        f -> assertThat(f.code()).isEqualTo("InvalidParameterCombination"));
    }

    @Test
    void theAttachmentLimitIsItsOwnKind() {
        for (int i = 1; i < 4; i++) {
            ec2.attachNetworkInterface(standIn.world.addEni("eu-west-2a", Map.of()).id, "i-1", i);
        }
        assertThatThrownBy(() -> ec2.attachNetworkInterface(ours.id, "i-1", 4))
                .isInstanceOfSatisfying(AwsFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(AwsFailure.Kind.LIMIT);
                    assertThat(f.code()).isEqualTo("AttachmentLimitExceeded");
                });
    }

    @Test
    void throttlingAndServerErrorsAreRetriedBySdk() {
        standIn.world.faults().throttle("DescribeNetworkInterfaces", 3);
        standIn.world.faults().serverError("DescribeTags", 2);

        assertThat(ids(Map.of("tag:multus", "true"))).hasSize(2);
        assertThat(ec2.instanceTags("i-1")).containsEntry("eks:cluster-name", "prod");

        assertThat(standIn.world.calls("DescribeNetworkInterfaces")).isEqualTo(4);
        assertThat(standIn.world.calls("DescribeTags")).isEqualTo(3);
    }

    @Test
    void aDenialIsUnauthorizedAndNamesTheAction() {
        standIn.world.faults().deny("AttachNetworkInterface");

        assertThatThrownBy(() -> ec2.attachNetworkInterface(ours.id, "i-1", 1))
                .isInstanceOfSatisfying(AwsFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(AwsFailure.Kind.UNAUTHORIZED);
                    assertThat(f.action()).isEqualTo("AttachNetworkInterface");
                    assertThat(f.getMessage()).contains("ec2:AttachNetworkInterface");
                });
        assertThat(standIn.world.calls("AttachNetworkInterface")).isEqualTo(1);
    }

    @Test
    void dryRunChecksPermissionsAndChangesNothing() {
        try (SdkEc2 dry = SdkEc2.create("eu-west-2", standIn.ec2.endpoint(), true)) {
            assertThat(dry.attachNetworkInterface(ours.id, "i-1", 1)).isNull();
            dry.createTag("i-1", "multus-network-attached", "true");
            assertThat(standIn.world.mutations()).isEmpty();
            assertThat(standIn.world.calls("AttachNetworkInterface")).isEqualTo(1);

            standIn.world.faults().deny("CreateTags");
            assertThatThrownBy(() -> dry.createTag("i-1", "k", "v")).isInstanceOfSatisfying(AwsFailure.class,
                    f -> assertThat(f.kind()).isEqualTo(AwsFailure.Kind.UNAUTHORIZED));
        }
    }

    @Test
    void instanceTagsAreCreatedReadAndDeleted() {
        ec2.createTag("i-1", "multus-network-attached", "true");
        assertThat(ec2.instanceTags("i-1")).containsEntry("multus-network-attached", "true");
        assertThat(ec2.instanceTags("i-2")).doesNotContainKey("multus-network-attached");

        ec2.deleteTag("i-1", "multus-network-attached", "true");
        assertThat(ec2.instanceTags("i-1")).doesNotContainKey("multus-network-attached");
    }

    @Test
    void addedLatencyDelaysTheCallButChangesNothingElse() {
        standIn.world.faults().latency("DescribeNetworkInterfaces", 300);
        long start = System.nanoTime();

        assertThat(ids(Map.of("tag:multus", "true"))).hasSize(2);

        // The injector's own check: the call waited at least what was asked for.
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(standIn.world.calls("DescribeNetworkInterfaces")).isEqualTo(1);
    }
}
