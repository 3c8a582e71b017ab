package io.multuseni.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multuseni.environment.Backend;
import io.multuseni.environment.Environment;
import io.multuseni.environment.Environment.Feature;
import io.multuseni.environment.Instance;
import io.multuseni.environment.Scenarios;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real AWS SDK over HTTP against an EC2: filters, asynchronous attach, errors, retries. Written
 * once, run against each {@link Backend}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class Ec2Scenarios extends Scenarios {
    private Instance i1;
    private Instance i2;
    private SdkEc2 ec2;
    private Environment.Eni ours;
    private Environment.Eni otherZone;

    Ec2Scenarios(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void setUp() {
        i1 = env.instance("eu-west-2a", "prod");
        i2 = env.instance("eu-west-2a", "prod");
        ours = env.addEni("eu-west-2a", Map.of("multus", "true", "cluster", "prod"));
        otherZone = env.addEni("eu-west-2b", Map.of("multus", "true", "cluster", "prod"));
        ec2 = SdkEc2.create(env.region(), env.ec2Endpoint(), false);
    }

    @AfterEach
    void tearDown() {
        ec2.close();
    }

    private List<String> ids(Map<String, String> filters) {
        return ec2.describeNetworkInterfaces(filters).stream().map(Eni::id).toList();
    }

    @Test
    void filtersSelectByTagZoneStatusAndInstance() {
        assertThat(ids(Map.of("tag:multus", "true"))).containsExactlyInAnyOrder(ours.id(), otherZone.id());
        assertThat(ids(Map.of("tag:multus", "true", "availability-zone", "eu-west-2a"))).containsExactly(ours.id());
        assertThat(ids(Map.of("tag:cluster", "staging"))).isEmpty();
        assertThat(ids(Map.of("tag-key", "multus", "status", "available")))
                .containsExactlyInAnyOrder(ours.id(), otherZone.id());
        assertThat(ids(Map.of("network-interface-id", ours.id()))).containsExactly(ours.id());

        ec2.attachNetworkInterface(ours.id(), i1.id(), 1);

        assertThat(ids(Map.of("tag:multus", "true", "status", "available"))).containsExactly(otherZone.id());
        assertThat(ids(Map.of("attachment.instance-id", i1.id()))).hasSize(2).contains(ours.id());
    }

    /** The ENI as EC2 reports it, once its status is the one wanted (within 10 s). */
    private Eni awaitStatus(String status) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(10));
        Eni eni = ec2.describeNetworkInterfaces(Map.of("network-interface-id", ours.id())).get(0);
        while (!eni.attachment().map(a -> a.status().toString()).orElse(eni.status().toString()).equals(status)
                && Instant.now().isBefore(until)) {
            Thread.sleep(50);
            eni = ec2.describeNetworkInterfaces(Map.of("network-interface-id", ours.id())).get(0);
        }
        return eni;
    }

    @Test
    void attachIsAsynchronousAndDetachFreesTheEni() throws Exception {
        env.where(Feature.EC2_TIMING, () -> env.world().attachDelay(400));
        String attachmentId = ec2.attachNetworkInterface(ours.id(), i1.id(), 1);

        Eni attaching = ec2.describeNetworkInterfaces(Map.of("network-interface-id", ours.id())).get(0);
        assertThat(attaching.attachment().orElseThrow().id()).isEqualTo(attachmentId);
        assertThat(attaching.mac()).isEqualTo(ours.mac());
        env.where(Feature.EC2_TIMING, () -> assertThat(attaching.attachment().orElseThrow().status())
                .isEqualTo(Eni.AttachmentState.ATTACHING));
        Eni attached = awaitStatus("attached");
        assertThat(attached.attachment().orElseThrow().status()).isEqualTo(Eni.AttachmentState.ATTACHED);
        assertThat(attached.attachment().orElseThrow().deviceIndex()).isEqualTo(1);
        assertThat(attached.isAttachedTo(i1.id())).isTrue();

        ec2.detachNetworkInterface(attachmentId);
        env.where(Feature.EC2_TIMING, () -> assertThat(ec2.describeNetworkInterfaces(
                Map.of("network-interface-id", ours.id())).get(0).status()).isEqualTo(Eni.State.DETACHING));
        Eni free = awaitStatus("available");
        assertThat(free.status()).isEqualTo(Eni.State.AVAILABLE);
        assertThat(free.attachment()).isEmpty();
    }

    @Test
    void anEniInUseIsAConflict() {
        env.assume(Feature.EC2_RULES);
        ec2.attachNetworkInterface(ours.id(), i2.id(), 1);

        assertThatThrownBy(() -> ec2.attachNetworkInterface(ours.id(), i1.id(), 1)).isInstanceOfSatisfying(
                AwsFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(AwsFailure.Kind.CONFLICT);
                    assertThat(f.code()).isEqualTo("InvalidParameterValue");
                    assertThat(f.getMessage()).contains("in use");
                });
    }

    @Test
    void aDeviceIndexInUseIsAConflict() {
        env.assume(Feature.EC2_RULES);
        Environment.Eni second = env.addEni("eu-west-2a", Map.of());
        ec2.attachNetworkInterface(second.id(), i1.id(), 1);

        assertThatThrownBy(() -> ec2.attachNetworkInterface(ours.id(), i1.id(), 1))
                .isInstanceOfSatisfying(AwsFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(AwsFailure.Kind.CONFLICT);
                    assertThat(f.getMessage()).contains("device index '1'");
                });
    }

    @Test
    void anEniOfAnotherZoneCannotBeAttached() {
        env.assume(Feature.EC2_RULES);
        assertThatThrownBy(() -> ec2.attachNetworkInterface(otherZone.id(), i1.id(), 1))
                .isInstanceOfSatisfying(AwsFailure.class,
                        f -> assertThat(f.code()).isEqualTo("InvalidParameterCombination"));
    }

    @Test
    void theAttachmentLimitIsItsOwnKind() {
        env.assume(Feature.EC2_RULES);
        for (int i = 1; i < 4; i++) {
            ec2.attachNetworkInterface(env.addEni("eu-west-2a", Map.of()).id(), i1.id(), i);
        }
        assertThatThrownBy(() -> ec2.attachNetworkInterface(ours.id(), i1.id(), 4))
                .isInstanceOfSatisfying(AwsFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(AwsFailure.Kind.LIMIT);
                    assertThat(f.code()).isEqualTo("AttachmentLimitExceeded");
                });
    }

    @Test
    void throttlingAndServerErrorsAreRetriedBySdk() {
        env.faults().throttle("DescribeNetworkInterfaces", 3);
        env.faults().serverError("DescribeTags", 2);

        assertThat(ids(Map.of("tag:multus", "true"))).hasSize(2);
        assertThat(ec2.instanceTags(i1.id())).containsEntry("eks:cluster-name", "prod");

        assertThat(env.calls().calls("DescribeNetworkInterfaces")).isEqualTo(4);
        assertThat(env.calls().calls("DescribeTags")).isEqualTo(3);
    }

    @Test
    void aDenialIsUnauthorizedAndNamesTheAction() {
        env.faults().deny("AttachNetworkInterface");

        assertThatThrownBy(() -> ec2.attachNetworkInterface(ours.id(), i1.id(), 1))
                .isInstanceOfSatisfying(AwsFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(AwsFailure.Kind.UNAUTHORIZED);
                    assertThat(f.action()).isEqualTo("AttachNetworkInterface");
                    assertThat(f.getMessage()).contains("ec2:AttachNetworkInterface");
                });
        assertThat(env.calls().calls("AttachNetworkInterface")).isEqualTo(1);
    }

    @Test
    void dryRunChecksPermissionsAndChangesNothing() {
        try (SdkEc2 dry = SdkEc2.create(env.region(), env.ec2Endpoint(), true)) {
            assertThat(dry.attachNetworkInterface(ours.id(), i1.id(), 1)).isNull();
            dry.createTag(i1.id(), "multus-network-attached", "true");
            assertThat(env.calls().mutations()).isEmpty();
            assertThat(env.calls().calls("AttachNetworkInterface")).isEqualTo(1);
            assertThat(env.eni(ours.id()).status()).isEqualTo("available");
            assertThat(env.instanceTags(i1.id())).doesNotContainKey("multus-network-attached");

            env.faults().deny("CreateTags");
            assertThatThrownBy(() -> dry.createTag(i1.id(), "k", "v")).isInstanceOfSatisfying(AwsFailure.class,
                    f -> assertThat(f.kind()).isEqualTo(AwsFailure.Kind.UNAUTHORIZED));
        }
    }

    @Test
    void instanceTagsAreCreatedReadAndDeleted() {
        ec2.createTag(i1.id(), "multus-network-attached", "true");
        assertThat(ec2.instanceTags(i1.id())).containsEntry("multus-network-attached", "true");
        assertThat(ec2.instanceTags(i2.id())).doesNotContainKey("multus-network-attached");

        ec2.deleteTag(i1.id(), "multus-network-attached", "true");
        assertThat(ec2.instanceTags(i1.id())).doesNotContainKey("multus-network-attached");
    }

    @Test
    void addedLatencyDelaysTheCallButChangesNothingElse() {
        env.faults().latency("DescribeNetworkInterfaces", 300);
        long start = System.nanoTime();

        assertThat(ids(Map.of("tag:multus", "true"))).hasSize(2);

        // The injector's own check: the call waited at least what was asked for.
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(env.calls().calls("DescribeNetworkInterfaces")).isEqualTo(1);
    }
}
