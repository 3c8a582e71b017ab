package io.multuseni.eni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multuseni.aws.AwsFailure;
import io.multuseni.aws.Ec2;
import io.multuseni.aws.Eni;
import io.multuseni.aws.Imds;
import io.multuseni.config.Config;
import io.multuseni.config.Settings;
import io.multuseni.net.InterfaceFiles;
import io.multuseni.net.NodeadmCache;
import io.multuseni.node.Held;
import io.multuseni.node.NodeContext;
import io.multuseni.node.Outcome;
import io.multuseni.node.Place;
import io.multuseni.node.ReconcileFailure;
import io.multuseni.node.Status;
import io.multuseni.standin.Ec2World;
import io.multuseni.testing.ConfigBuilder;
import io.multuseni.testing.FakeClock;
import io.multuseni.testing.FakeLinks;
import io.multuseni.testing.InstantWorld;
import io.multuseni.testing.LogCapture;
import io.multuseni.testing.WorldEc2;
import io.multuseni.testing.WorldImds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The reconcile decisions against the in-memory EC2 world and fake links, on a fake clock. */
class EniReconcilerTest {
    private static final String ZONE = "eu-west-2a";

    @TempDir
    Path tmp;

    private final FakeClock clock = new FakeClock(() -> this.world.awaitTransitions());
    private final FakeLinks links = new FakeLinks(clock);
    private Ec2World world;
    private Ec2World.Instance me;
    private ConfigBuilder config;
    /** Runs just before this node's first AttachNetworkInterface reaches EC2: how a test stages a race. */
    private Consumer<String> beforeFirstAttach = eniId -> {};
    private final List<Boolean> linkFileAtAttach = new ArrayList<>();
    private WorldImds imds;

    @BeforeEach
    void setUp() {
        world = InstantWorld.create();
        me = InstantWorld.thisNode(world, ZONE, links);
        world.addInstance("i-2", ZONE, 4);
        imds = new WorldImds(world, "i-1");
        config = new ConfigBuilder(tmp);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private static Map<String, String> tags(String cluster, String zone) {
        return Map.of("multus", "true", "cluster", cluster, "Zone", zone);
    }

    private Ec2World.Eni ourEni() {
        return world.addEni(ZONE, tags("prod", ZONE));
    }

    private EniReconciler reconciler() {
        Config c = config.build();
        InterfaceFiles files = new InterfaceFiles(c.get(Settings.NETWORK_CONFIG_DIR), c.get(Settings.DRY_RUN), c.defaultNetwork(),
                new NodeadmCache(c.get(Settings.NODEADM_CACHE_DIR), "i-1", c.get(Settings.DRY_RUN)));
        boolean[] first = {true};
        Ec2 ec2 = new WorldEc2(world, c.get(Settings.DRY_RUN), (eniId, instanceId) -> {
            linkFileAtAttach.add(Files.exists(files.linkFile()));
            if (first[0]) {
                first[0] = false;
                beforeFirstAttach.accept(eniId);
            }
        });
        NodeContext node = NodeContext.resolve(c, imds, new Imds.Identity("i-1", "eu-west-2", ZONE, "ip-10-0-1-10"),
                ec2);
        return new EniReconciler(ec2, imds, links, files, new StateFile(c.get(Settings.STATE_DIR), c.get(Settings.DRY_RUN), c.defaultNetwork()), EniSettings.of(c),
                node, node.of(c.defaultNetwork()), clock, clock, new Random(7));
    }

    private Ec2World.Attachment attachmentOf(Ec2World.Eni eni) {
        return world.eni(eni.id).attachment;
    }

    @Test
    void freshAttachNamesTheInterfaceTagsTheInstanceAndRecordsState() throws Exception {
        Ec2World.Eni eni = ourEni();

        Outcome outcome = reconciler().acquire();

        assertThat(outcome).isInstanceOf(Outcome.Holding.class);
        assertThat(attachmentOf(eni).instanceId).isEqualTo("i-1");
        assertThat(attachmentOf(eni).deviceIndex).isEqualTo(1);
        assertThat(attachmentOf(eni).status).isEqualTo("attached");
        assertThat(links.renames()).containsExactly("eth1->multus");
        assertThat(links.macOf("multus")).contains(eni.mac);
        assertThat(me.tags).containsEntry("multus-network-attached", "true");
        assertThat(linkFileAtAttach).containsExactly(true);
        Path dir = tmp.resolve("network");
        assertThat(Files.readString(dir.resolve("10-multus-eni.link"))).contains("MACAddress=" + eni.mac)
                .contains("Name=multus");
        assertThat(Files.readString(dir.resolve("10-multus-eni.network"))).contains("MACAddress=" + eni.mac)
                .contains("Unmanaged=yes");
        assertThat(Files.readString(tmp.resolve("state/state.json"))).contains("\"eniId\": \"" + eni.id + "\"")
                .contains("\"interfaceName\": \"multus\"");
    }

    @Test
    void anEniWithoutTheVpcCniNoManageTagIsTakenWithAWarning() throws Exception {
        ourEni();
        Ec2World.Eni tagged = ourEni();
        tagged.tags.put("node.k8s.amazonaws.com/no_manage", "true");
        world.attach(tagged.id, "i-2", 1, 0);

        try (LogCapture log = new LogCapture()) {
            assertThat(reconciler().acquire()).isInstanceOf(Outcome.Holding.class);
            assertThat(log.text()).contains("lacks the tag node.k8s.amazonaws.com/no_manage=true");
        }
    }

    @Test
    void whereTheVpcCniRunsAnEniWithoutNoManageIsNeverAttached() throws Exception {
        Ec2World.Eni unguarded = ourEni();
        Files.createDirectories(tmp.resolve("cni"));
        Files.writeString(tmp.resolve("cni/10-aws.conflist"), "{\"cniVersion\": \"0.4.0\", \"name\": \"aws-cni\"}");

        assertThatThrownBy(() -> reconciler().acquire()).isInstanceOf(ReconcileFailure.class)
                .hasMessageContaining("not attaching [" + unguarded.id)
                .hasMessageContaining("the VPC CNI runs on this node (" + tmp.resolve("cni/10-aws.conflist") + ")")
                .hasMessageContaining("Tag them node.k8s.amazonaws.com/no_manage=true");
        assertThat(world.calls("AttachNetworkInterface")).isZero();
        assertThat(Files.exists(tmp.resolve("network/10-multus-eni.link"))).isFalse();
    }

    @Test
    void whereTheVpcCniRunsTheGuardedEniIsTakenAndTheOtherNamed() throws Exception {
        Ec2World.Eni unguarded = ourEni();
        Ec2World.Eni guarded = ourEni();
        guarded.tags.put("node.k8s.amazonaws.com/no_manage", "true");
        Files.createDirectories(tmp.resolve("cni"));
        Files.writeString(tmp.resolve("cni/10-aws.conflist"), "{}");

        try (LogCapture log = new LogCapture()) {
            Outcome outcome = reconciler().acquire();
            assertThat(((Outcome.Holding) outcome).held().eniId()).isEqualTo(guarded.id);
            assertThat(log.text()).contains("not attaching [" + unguarded.id);
        }
        assertThat(attachmentOf(unguarded)).isNull();
    }

    @Test
    void theInterfaceIsUpWithoutAddressesOnceNamed() throws Exception {
        ourEni();

        reconciler().acquire();

        assertThat(links.isUpWithoutAddresses("multus")).isTrue();
    }

    @Test
    void theInterfaceHandedBackDownByHostDeviceIsUpAgainAfterOneCheck() throws Exception {
        Ec2World.Eni eni = ourEni();
        EniReconciler r = reconciler();
        r.acquire();
        int describes = world.calls("DescribeNetworkInterfaces");
        links.remove("multus"); // host-device's ADD
        assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.CHANGED);
        links.add("multus", eni.mac); // host-device's DEL: back, and down
        assertThat(links.isUp("multus")).isFalse();

        assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.CHANGED);

        assertThat(links.isUpWithoutAddresses("multus")).isTrue();
        assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.HOLDING);
        assertThat(world.calls("DescribeNetworkInterfaces")).as("the pod's moves cost one describe")
                .isEqualTo(describes + 1);
    }

    @Test
    void theNameIsRecordedAsMultusEnisWhereNodeadmKeepsItsCacheHealingASystemdEntry() throws Exception {
        ourEni();
        Path entry = tmp.resolve("nodeadm/i-1/multus");
        Files.createDirectories(entry.getParent());
        Files.writeString(entry, "io.systemd.Network");

        try (LogCapture log = new LogCapture()) {
            reconciler().acquire();
            assertThat(log.text()).contains("nodeadm had recorded multus as systemd-networkd's");
        }

        assertThat(Files.readString(entry)).isEqualTo("multus-eni");
    }

    @Test
    void aStandbyHealsNodeadmsEntryForTheNameToo() throws Exception {
        world.attach(ourEni().id, "i-2", 1, 0); // the zone's ENI is another node's
        Path entry = tmp.resolve("nodeadm/i-1/multus");
        Files.createDirectories(entry.getParent());
        Files.writeString(entry, "io.systemd.Network");

        assertThat(reconciler().acquire()).isInstanceOf(Outcome.NoneFree.class);

        assertThat(Files.readString(entry)).isEqualTo("multus-eni");
    }

    @Test
    void nothingIsWrittenForNodeadmWhereItIsNotInstalled() throws Exception {
        ourEni();

        reconciler().acquire();

        assertThat(tmp.resolve("nodeadm")).doesNotExist();
    }

    /** This instance's primary ENI, with the selector's tags put on it by mistake (or by someone hostile). */
    private Ec2World.Eni taggedPrimary() {
        Ec2World.Eni primary = world.attachedTo("i-1").stream().filter(e -> e.attachment.deviceIndex == 0)
                .findFirst().orElseThrow();
        primary.tags.putAll(tags("prod", ZONE));
        links.add("eth0", primary.mac);
        return primary;
    }

    @Test
    void thePrimaryEniCarryingTheTagsIsNeverAdoptedRenamedOrDetached() throws Exception {
        Ec2World.Eni primary = taggedPrimary();
        Ec2World.Eni eni = ourEni();

        try (LogCapture log = new LogCapture()) {
            EniReconciler r = reconciler();
            Outcome outcome = r.acquire();
            assertThat(((Outcome.Holding) outcome).held().eniId()).isEqualTo(eni.id);
            assertThat(log.text()).contains(primary.id + " (" + primary.mac + ") carries the tags of network multus but"
                    + " is never used: it is an instance's primary interface (device index 0)");
            assertThat(Files.readString(tmp.resolve("network/10-multus-eni.link"))).doesNotContain(primary.mac);
            assertThat(r.release()).extracting(Eni::id).containsExactly(eni.id);
        }
        assertThat(links.renames()).containsExactly("eth1->multus");
        assertThat(links.macOf("eth0")).contains(primary.mac);
        assertThat(attachmentOf(primary).deviceIndex).isZero();
        assertThat(attachmentOf(primary).status).isEqualTo("attached");
    }

    @Test
    void withOnlyThePrimaryTaggedTheNodeStandsByTouchingNothing() throws Exception {
        Ec2World.Eni primary = taggedPrimary();
        List<String> before = world.mutations();

        Outcome outcome = reconciler().acquire(Duration.ZERO, false, EniReconciler.Patience.WHILE_WORTH_IT);

        assertThat(outcome).isInstanceOf(Outcome.NoneFree.class);
        assertThat(links.renames()).isEmpty();
        assertThat(tmp.resolve("network/10-multus-eni.link")).doesNotExist();
        assertThat(world.mutations()).isEqualTo(before);
        assertThat(attachmentOf(primary).status).isEqualTo("attached");
    }

    @Test
    void enisOfOtherServicesAreNeverAttachedWhateverTheirTags() throws Exception {
        Ec2World.Eni efa = ourEni();
        efa.interfaceType = "efa";
        Ec2World.Eni trunk = ourEni();
        trunk.interfaceType = "trunk";
        Ec2World.Eni managed = ourEni();
        managed.requesterManaged = true;
        Ec2World.Eni vpcCni = ourEni();
        vpcCni.tags.put("node.k8s.amazonaws.com/instance_id", "i-2");

        try (LogCapture log = new LogCapture()) {
            assertThat(reconciler().acquire()).isInstanceOf(Outcome.NoneFree.class);
            assertThat(log.text()).contains(efa.id + " (" + efa.mac + ") carries the tags of network multus but is"
                    + " never used: its interface type is efa, not interface")
                    .contains("its interface type is trunk, not interface")
                    .contains("an AWS service manages it (requester-managed)")
                    .contains("the VPC CNI owns it (tag node.k8s.amazonaws.com/instance_id)");
        }
        assertThat(world.calls("AttachNetworkInterface")).isZero();
    }

    @Test
    void restartAdoptsTheAttachedEniWithoutASecondAttachOrAnyChange() throws Exception {
        Ec2World.Eni eni = ourEni();
        ourEni();
        reconciler().acquire();
        List<String> before = world.mutations();

        Outcome again = reconciler().acquire();

        assertThat(((Outcome.Holding) again).held().eniId()).isEqualTo(eni.id);
        assertThat(world.calls("AttachNetworkInterface")).isEqualTo(1);
        assertThat(world.mutations()).isEqualTo(before);
        assertThat(links.renames()).hasSize(1);
    }

    @Test
    void losingTheRaceForAnEniTakesTheNextCandidate() throws Exception {
        Ec2World.Eni a = ourEni();
        Ec2World.Eni b = ourEni();
        beforeFirstAttach = eniId -> world.attach(eniId, "i-2", 1, 0);

        Outcome outcome = reconciler().acquire();

        String mine = ((Outcome.Holding) outcome).held().eniId();
        String theirs = mine.equals(a.id) ? b.id : a.id;
        assertThat(attachmentOf(world.eni(mine)).instanceId).isEqualTo("i-1");
        assertThat(attachmentOf(world.eni(theirs)).instanceId).isEqualTo("i-2");
        assertThat(world.calls("AttachNetworkInterface")).isEqualTo(2);
    }

    @Test
    void losingTheOnlyEniEndsWithNoneFreeAfterTheBootWait() throws Exception {
        ourEni();
        beforeFirstAttach = eniId -> world.attach(eniId, "i-2", 1, 0);

        Outcome outcome = reconciler().acquire();

        assertThat(outcome).isInstanceOf(Outcome.NoneFree.class);
        assertThat(((Outcome.NoneFree) outcome).reason()).contains("no free ENI matches multus=true,cluster=prod");
        assertThat(clock.slept()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Files.exists(tmp.resolve("network/10-multus-eni.link"))).isFalse();
    }

    @Test
    void eniFreedDuringTheBootWaitIsTaken() throws Exception {
        Ec2World.Eni eni = ourEni();
        String attachment = world.attach(eni.id, "i-2", 1, 0);
        world.awaitTransitions();
        config.set(Settings.BOOT_WAIT, "60s");
        clock.meanwhile(() -> {
            if (clock.slept().compareTo(Duration.ofSeconds(3)) >= 0 && world.eni(eni.id).attachment != null
                    && world.eni(eni.id).attachment.id.equals(attachment)) {
                world.detach(attachment, false); // its holder lets go 3 s into the wait
                world.awaitTransitions();
            }
        });

        Outcome outcome = reconciler().acquire();

        assertThat(((Outcome.Holding) outcome).held().eniId()).isEqualTo(eni.id);
    }

    @Test
    void aTakenDeviceIndexMeansTheNextFreeOne() throws Exception {
        Ec2World.Eni other = world.addEni(ZONE, Map.of("purpose", "something-else"));
        world.attach(other.id, "i-1", 1, 0);
        Ec2World.Eni eni = ourEni();

        reconciler().acquire();

        assertThat(attachmentOf(eni).deviceIndex).isEqualTo(2);
    }

    @Test
    void aDeviceIndexTakenDuringTheAttachIsRetriedOnTheSameEni() throws Exception {
        Ec2World.Eni other = world.addEni(ZONE, Map.of("purpose", "something-else"));
        Ec2World.Eni eni = ourEni();
        beforeFirstAttach = eniId -> world.attach(other.id, "i-1", 1, 0);

        reconciler().acquire();

        assertThat(attachmentOf(eni).deviceIndex).isEqualTo(2);
        assertThat(world.calls("AttachNetworkInterface")).isEqualTo(2);
    }

    /** How a failure case sets the node up, given the ENI it would take. */
    @FunctionalInterface
    private interface Setup {
        void apply(EniReconcilerTest test, Ec2World.Eni eni) throws Exception;
    }

    /**
     * The ways an acquire goes wrong: setup; what it raises (null: it ends with none free) and the words it says;
     * whether it must stop before any change reaches EC2. Every row must leave nothing behind (see below).
     */
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("the instance's attachment limit", (Setup) (t, eni) -> {
                    for (int device = 1; device < 4; device++) { // the primary and three more: all it takes
                        t.world.attach(t.world.addEni(ZONE, Map.of("owner", "another-service")).id, "i-1", device, 0);
                    }
                }, ReconcileFailure.class, List.of("instance i-1 cannot take another network interface",
                        "AttachmentLimitExceeded"), false),
                Arguments.of("the attach denied by IAM", (Setup) (t, eni) -> t.world.faults()
                        .deny("AttachNetworkInterface"), ReconcileFailure.class,
                        List.of("not allowed to call ec2:AttachNetworkInterface", "eni-"), true),
                // Past the SDK's retries a 5xx stays EC2's failure, of its kind, which the agent retries quietly;
                // not a ReconcileFailure, which would stand the lane by (or fail the boot) as if denied.
                Arguments.of("EC2 failing the attach (5xx)", (Setup) (t, eni) -> t.world.faults()
                        .serverError("AttachNetworkInterface", 100), AwsFailure.class,
                        List.of("AttachNetworkInterface failed", "(eni-"), true),
                Arguments.of("the name held by another interface", (Setup) (t, eni) -> t.links.add("multus",
                        "02:00:00:00:00:99"), ReconcileFailure.class,
                        List.of("'multus' is held by another interface (MAC 02:00:00:00:00:99)"), true),
                Arguments.of("the interface never appearing", (Setup) (t, eni) -> t.links.neverAppear(),
                        ReconcileFailure.class, List.of("gave up waiting for the interface with MAC"), false),
                Arguments.of("the state file unwritable after the tag", (Setup) (t, eni) -> Files.writeString(
                        t.tmp.resolve("state"), "a file where the state folder should be"), RuntimeException.class,
                        List.of("state.json"), false),
                Arguments.of("every attachment stuck in attaching", (Setup) (t, eni) -> t.world.stuckAttaching
                        .add(eni.id), null, List.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailedAcquireSaysWhyAndLeavesNothingBehind(String what, Setup setup, Class<? extends Exception> raised,
                                                     List<String> says, boolean beforeAnyChange) throws Exception {
        Ec2World.Eni eni = ourEni();
        setup.apply(this, eni);
        int mutationsBefore = world.mutations().size();

        if (raised == null) {
            assertThat(reconciler().acquire()).isInstanceOf(Outcome.NoneFree.class);
        } else {
            assertThatThrownBy(() -> reconciler().acquire()).isInstanceOf(raised)
                    .satisfies(e -> assertThat(e.getMessage()).contains(says));
        }

        world.awaitTransitions();
        assertThat(world.eni(eni.id).attachment).as("the ENI attached").isNull();
        assertThat(me.tags).as("the instance tag").doesNotContainKey("multus-network-attached");
        assertThat(tmp.resolve("network/10-multus-eni.link")).as("the .link file").doesNotExist();
        // (Files.exists: where the state folder is a file, doesNotExist cannot tell and fails.)
        assertThat(Files.exists(tmp.resolve("state/state.json"))).as("the state").isFalse();
        assertThat(links.nameOf(eni.mac)).as("an interface named for it").isEmpty();
        if (beforeAnyChange) {
            assertThat(world.mutations()).hasSize(mutationsBefore);
            assertThat(links.renames()).isEmpty();
        }
    }

    @Test
    void aLateInterfaceIsWaitedFor() throws Exception {
        ourEni();
        links.appearDelay(Duration.ofSeconds(3));

        Outcome outcome = reconciler().acquire();

        assertThat(((Outcome.Holding) outcome).held().interfaceName()).isEqualTo("multus");
        assertThat(clock.slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void anAttachmentStuckInAttachingIsDetachedAndTheNextEniTaken() throws Exception {
        Ec2World.Eni stuck = ourEni();
        Ec2World.Eni good = ourEni();
        world.stuckAttaching.add(stuck.id);

        Outcome outcome = reconciler().acquire();

        assertThat(((Outcome.Holding) outcome).held().eniId()).isEqualTo(good.id);
        assertThat(world.eni(stuck.id).status).isEqualTo("available");
    }

    @Test
    void enisOfAnotherZoneOrClusterAreNeverTouched() throws Exception {
        world.addEni("eu-west-2b", tags("prod", "eu-west-2b"));
        world.addEni(ZONE, tags("staging", ZONE));
        // Tagged for this zone but placed in another: the AZ filter is always applied.
        world.addEni("eu-west-2c", tags("prod", ZONE));

        Outcome outcome = reconciler().acquire();

        assertThat(outcome).isInstanceOf(Outcome.NoneFree.class);
        assertThat(world.mutations()).isEmpty();
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        ourEni();
        config.set(Settings.DRY_RUN, "true");

        Outcome outcome = reconciler().acquire();

        assertThat(outcome).isInstanceOf(Outcome.DryRun.class);
        assertThat(((Outcome.DryRun) outcome).plan()).contains("would attach");
        assertThat(world.mutations()).isEmpty();
        assertThat(Files.exists(tmp.resolve("network"))).isFalse();
    }

    @Test
    void releaseDetachesUntagsAndCleansUpAndIsIdempotent() throws Exception {
        Ec2World.Eni eni = ourEni();
        reconciler().acquire();

        List<Eni> released = reconciler().release();

        assertThat(released).extracting(Eni::id).containsExactly(eni.id);
        assertThat(world.eni(eni.id).status).isEqualTo("available");
        assertThat(me.tags).doesNotContainKey("multus-network-attached");
        assertThat(Files.exists(tmp.resolve("network/10-multus-eni.link"))).isFalse();
        assertThat(Files.exists(tmp.resolve("state/state.json"))).isFalse();
        List<String> before = world.mutations();
        assertThat(reconciler().release()).isEmpty();
        assertThat(world.mutations()).isEqualTo(before);
    }

    @Test
    void releaseDetachesOnlyOurEniNeverOthersOrThePrimary() throws Exception {
        Ec2World.Eni other = world.addEni(ZONE, Map.of("purpose", "something-else"));
        world.attach(other.id, "i-1", 1, 0);
        Ec2World.Eni eni = ourEni();
        reconciler().acquire();

        reconciler().release();

        assertThat(world.mutations()).filteredOn(m -> m.startsWith("DetachNetworkInterface"))
                .containsExactly("DetachNetworkInterface " + eni.id + " i-1");
        assertThat(attachmentOf(other).instanceId).isEqualTo("i-1");
    }

    @Test
    void statusReportsWhatIsHeld() throws Exception {
        Ec2World.Eni eni = ourEni();
        assertThat(reconciler().status().holding()).isFalse();
        reconciler().acquire();

        Status status = reconciler().status();
        Held held = status.held().orElseThrow();

        assertThat(held.eniId()).isEqualTo(eni.id);
        assertThat(held.mac()).isEqualTo(eni.mac);
        assertThat(held.privateIps()).containsExactly(eni.privateIp);
        assertThat(held.subnetId()).isEqualTo(eni.subnetId);
        assertThat(held.deviceIndex()).isEqualTo(1);
        assertThat(held.attachmentState()).isEqualTo(Eni.AttachmentState.ATTACHED);
        assertThat(held.interfaceName()).isEqualTo("multus");
        assertThat(held.interfaceNamed()).isTrue();
        assertThat(status.instanceTagged()).isTrue();
        assertThat(status.cluster()).isEqualTo("prod");
    }
    // ------------------------------------------------ where the interface is, and IMDS as a cache

    private int describes() {
        return world.calls("DescribeNetworkInterfaces");
    }

    @Test
    void aPodTakingTheInterfaceKeepsEverythingAndCostsOneDescribe() throws Exception {
        Ec2World.Eni eni = ourEni();
        EniReconciler r = reconciler();
        r.acquire();
        List<String> before = world.mutations();
        int describesBefore = describes();

        links.remove("multus"); // host-device ADD: the interface goes into the pod's namespace
        try (LogCapture log = new LogCapture()) {
            assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.CHANGED);
            for (int i = 0; i < 5; i++) {
                assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.HOLDING);
            }
            assertThat(log.messages()).filteredOn(m -> m.contains("a pod has it")).hasSize(1);
        }

        assertThat(r.held().orElseThrow().interfacePlace()).isEqualTo(Place.POD);
        assertThat(describes() - describesBefore).as("one confirmation for the change, none after").isEqualTo(1);
        assertThat(world.mutations()).isEqualTo(before);
        assertThat(me.tags).containsEntry("multus-network-attached", "true");
        assertThat(tmp.resolve("state/state.json")).exists();

        links.add("multus", eni.mac); // host-device DEL gives it back under its host name
        assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.CHANGED);
        assertThat(r.held().orElseThrow().interfacePlace()).isEqualTo(Place.HOST);
        assertThat(describes() - describesBefore).isEqualTo(1);
        assertThat(world.mutations()).isEqualTo(before);
    }

    /** Holds the ENI, and host-device's ADD has moved its interface into a pod, as the holder's check saw. */
    private EniReconciler holdingWhileAPodHasIt() throws Exception {
        EniReconciler r = reconciler();
        r.acquire();
        links.remove("multus");
        assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.CHANGED);
        assertThat(r.held().orElseThrow().interfacePlace()).isEqualTo(Place.POD);
        return r;
    }

    /** A pod's namespace destroyed without DEL: the kernel hands the device back as net1, or dev<ifindex>. */
    @ParameterizedTest
    @ValueSource(strings = {"net1", "dev5"})
    void theInterfaceBackFromALostPodUnderAnyNameIsNamedAgainAndUpSaidOnce(String cameBackAs) throws Exception {
        Ec2World.Eni eni = ourEni();
        EniReconciler r = holdingWhileAPodHasIt();
        List<String> before = world.mutations();

        links.add(cameBackAs, eni.mac); // down, as the kernel moves it
        try (LogCapture log = new LogCapture()) {
            assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.CHANGED);
            assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.HOLDING);
            assertThat(log.messages()).containsExactly("INFO the interface of " + eni.id + " came back from a pod as "
                    + cameBackAs + "; named multus again");
        }

        assertThat(links.renames()).endsWith(cameBackAs + "->multus");
        assertThat(links.isUpWithoutAddresses("multus")).isTrue();
        assertThat(r.held().orElseThrow().interfacePlace()).isEqualTo(Place.HOST);
        assertThat(world.mutations()).isEqualTo(before);
    }

    /** On a node udev also sees the device come back, and our .link file names it: both may rename at once. */
    @Test
    void aRenameRefusedBecauseUdevNamedItFirstIsHoldingNotMisnamed() throws Exception {
        Ec2World.Eni eni = ourEni();
        EniReconciler r = holdingWhileAPodHasIt();
        links.add("net1", eni.mac);
        links.renamedFirstBySomeoneElse("net1", "multus");

        try (LogCapture log = new LogCapture()) {
            assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.CHANGED);
            assertThat(log.messages()).noneMatch(m -> m.startsWith("ERROR") || m.startsWith("WARN"));
        }
        assertThat(r.held().orElseThrow().interfacePlace()).isEqualTo(Place.HOST);
        assertThat(links.isUpWithoutAddresses("multus")).isTrue();
    }

    @Test
    void aRestartWhileAPodHasTheInterfaceAdoptsIt() throws Exception {
        Ec2World.Eni eni = ourEni();
        reconciler().acquire();
        links.remove("multus");

        Outcome again = reconciler().acquire();

        Held held = ((Outcome.Holding) again).held();
        assertThat(held.eniId()).isEqualTo(eni.id);
        assertThat(held.interfacePlace()).isEqualTo(Place.POD);
        assertThat(world.calls("AttachNetworkInterface")).isEqualTo(1);
    }

    @Test
    void aNameThatCannotBeFixedIsMisnamed() throws Exception {
        Ec2World.Eni eni = ourEni();
        EniReconciler r = reconciler();
        r.acquire();

        links.remove("multus");
        links.add("eth7", eni.mac);
        links.add("multus", "02:00:00:00:00:99"); // someone else's interface took the name

        try (LogCapture log = new LogCapture()) {
            assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.CHANGED);
            assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.HOLDING);
            assertThat(log.messages()).filteredOn(m -> m.startsWith("ERROR")).hasSize(1);
        }
        assertThat(r.held().orElseThrow().interfacePlace()).isEqualTo(Place.MISNAMED);
        assertThat(links.macOf("eth7")).contains(eni.mac);
    }

    @Test
    void imdsOmittingTheHeldEniLetsNothingGoWhileEc2HasItAttached() throws Exception {
        Ec2World.Eni eni = ourEni();
        EniReconciler r = reconciler();
        r.acquire();
        List<String> before = world.mutations();
        int describesBefore = describes();
        int lags = 0;

        imds.lag.omit(eni.mac, true);
        for (int i = 0; i < 30; i++) {
            EniReconciler.Check checked = r.checkHolding();
            assertThat(checked.health()).isEqualTo(EniReconciler.Health.HOLDING);
            lags += checked.imdsLagged() ? 1 : 0;
        }
        imds.lag.omit(eni.mac, false);
        assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.HOLDING);

        assertThat(describes() - describesBefore).isEqualTo(1);
        assertThat(lags).isEqualTo(1);
        assertThat(world.mutations()).isEqualTo(before);
        assertThat(tmp.resolve("state/state.json")).exists();
        assertThat(tmp.resolve("network/10-multus-eni.link")).exists();
        assertThat(r.held()).isPresent();
    }

    @Test
    void imdsStillListingAnEniEc2DetachedIsLetGoOnceItsInterfaceIsGone() throws Exception {
        Ec2World.Eni eni = ourEni();
        EniReconciler r = reconciler();
        r.acquire();

        imds.keepListing(eni.mac);
        world.detach(attachmentOf(eni).id, true);
        world.awaitTransitions(); // the stand-in completes the detach on a timer of its own
        assertThat(links.nameOf(eni.mac)).isEmpty();
        assertThat(imds.interfaces()).extracting(Imds.AttachedInterface::mac).contains(eni.mac);

        assertThat(r.checkHolding().health()).isEqualTo(EniReconciler.Health.LOST);
        assertThat(r.held()).isEmpty();
        assertThat(me.tags).doesNotContainKey("multus-network-attached");
        assertThat(tmp.resolve("state/state.json")).doesNotExist();
    }

    @Test
    void aBootWithNothingToWaitForAnswersAtOnceAndTheOneShotAttachWaits() throws Exception {
        Ec2World.Eni eni = ourEni();
        world.attach(eni.id, "i-2", 1, 0);
        config.set(Settings.BOOT_WAIT, "60s");

        Duration before = clock.slept();
        Outcome daemonBoot = reconciler().acquire(Duration.ofSeconds(60), true, EniReconciler.Patience.WHILE_WORTH_IT);
        assertThat(daemonBoot).isInstanceOf(Outcome.NoneFree.class);
        assertThat(clock.slept()).isEqualTo(before);
        assertThat(world.calls("DescribeNetworkInterfaces")).isEqualTo(1);

        Outcome attach = reconciler().acquire();
        assertThat(attach).isInstanceOf(Outcome.NoneFree.class);
        assertThat(clock.slept().minus(before)).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aBootKeepsLookingWhileTheZonesEniIsDetaching() throws Exception {
        Ec2World.Eni eni = ourEni();
        world.attach(eni.id, "i-2", 1, 0);
        world.detachDelay(60_000);
        world.detach(attachmentOf(eni).id, false);

        Outcome boot = reconciler().acquire(Duration.ofSeconds(20), true, EniReconciler.Patience.WHILE_WORTH_IT);

        assertThat(boot).isInstanceOf(Outcome.NoneFree.class);
        assertThat(((Outcome.NoneFree) boot).freeing()).isTrue();
        assertThat(clock.slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        assertThat(world.calls("DescribeNetworkInterfaces")).isGreaterThan(3);
    }

    @Test
    void aReleaseWhoseUntagIsDeniedStillLeavesFilesAndStateTellingTheTruth() throws Exception {
        Ec2World.Eni eni = ourEni();
        reconciler().acquire();
        world.faults().deny("DeleteTags");

        assertThatThrownBy(() -> reconciler().release()).isInstanceOf(ReconcileFailure.class)
                .hasMessageContaining("Grant ec2:DeleteTags to the node's instance role");

        assertThat(world.eni(eni.id).status).isEqualTo("available");
        assertThat(tmp.resolve("network/10-multus-eni.link")).doesNotExist();
        assertThat(tmp.resolve("state/state.json")).doesNotExist();
    }
}
