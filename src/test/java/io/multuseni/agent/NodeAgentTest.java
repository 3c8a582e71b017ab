package io.multuseni.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multuseni.config.Config;
import io.multuseni.config.Network;
import io.multuseni.config.Settings;
import io.multuseni.eni.EniReconciler;
import io.multuseni.labels.LabelLoop;
import io.multuseni.labels.ZonePolicy;
import io.multuseni.metrics.CountingEc2;
import io.multuseni.metrics.DaemonFile;
import io.multuseni.metrics.Metrics;
import io.multuseni.metrics.Reports;
import io.multuseni.node.NodeContext;
import io.multuseni.node.ReconcileFailure;
import io.multuseni.node.Wakeups;
import io.multuseni.standin.Ec2World;
import io.multuseni.standin.HotPlug;
import io.multuseni.testing.ConfigBuilder;
import io.multuseni.testing.FakeClock;
import io.multuseni.testing.FakeLinks;
import io.multuseni.testing.FakeNodes;
import io.multuseni.testing.InstantWorld;
import io.multuseni.testing.LogCapture;
import io.multuseni.testing.Reconcilers;
import io.multuseni.testing.WorldEc2;
import io.multuseni.testing.WorldImds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steady state, step by step on a fake clock, against the in-memory EC2 world. */
class NodeAgentTest {
    private static final String ZONE = "eu-west-2a";
    private static final Map<String, String> TAGS = Map.of("multus", "true", "cluster", "prod", "Zone", ZONE);

    @TempDir
    Path tmp;

    private final FakeClock clock = new FakeClock(() -> this.world.awaitTransitions());
    private final FakeLinks links = new FakeLinks(clock);
    private final FakeNodes nodes = new FakeNodes(clock);
    private final List<String> statuses = new ArrayList<>();
    private Ec2World world;
    private Ec2World.Instance me;
    private WorldImds imds;
    private ConfigBuilder config;
    private Metrics metrics;
    private Reports reports;
    private LabelLoop labels;
    /** What the agent told as happening, for the Node's Events. */
    private final List<Happening> happened = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        world = InstantWorld.create();
        me = InstantWorld.thisNode(world, ZONE, links);
        imds = new WorldImds(world, "i-1");
        config = new ConfigBuilder(tmp);
        config.set(Settings.METRICS_FILE, tmp.resolve("multus_eni.prom").toString());
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private NodeAgent agent() {
        Config c = config.build();
        metrics = new Metrics(clock);
        CountingEc2 ec2 = new CountingEc2(new WorldEc2(world, false), metrics);
        NodeContext node = NodeContext.resolve(c, imds, imds.identity(), ec2);
        List<EniReconciler> reconcilers = Reconcilers.of(ec2, imds, links, c, node, clock, clock, new Random(5));
        Wakeups wakeups = new Wakeups();
        labels = LabelLoop.over(() -> nodes, () -> "kubeconfig", c, node, reconcilers, wakeups, clock,
                new Random(6));
        reports = new Reports(metrics, c.get(Settings.METRICS_FILE), new DaemonFile(c.get(Settings.STATE_DIR), c.get(Settings.DRY_RUN)));
        NodeEvents recorded = new NodeEvents() {
            @Override
            public void happened(Happening happening) {
                happened.add(happening);
            }
        };
        return new NodeAgent(reconcilers, imds, Optional.of(labels), c, clock, clock, new Random(7),
                NodeEvents.all(List.of(metrics, recorded)), change -> statuses.add(change.text()), wakeups);
    }

    /** The ENI a happening of holding names. */
    private static io.multuseni.node.Held heldOf(Happening h) {
        return h instanceof Happening.Attached a ? a.held() : ((Happening.Adopted) h).held();
    }

    /** One pass of the daemon's loop: the agent's step, its wait, and the reports written. */
    private void pass(NodeAgent agent) throws InterruptedException {
        clock.sleep(agent.step());
        reports.write();
    }

    /** Steps until the clock has advanced by at least {@code span}. */
    private void run(NodeAgent agent, Duration span) throws Exception {
        Duration start = clock.slept();
        while (clock.slept().minus(start).compareTo(span) < 0) {
            pass(agent);
        }
    }

    @Test
    void anUnwritableMetricsFileIsLoggedOnceAndCountedAndTheEniKept() throws Exception {
        world.addEni(ZONE, TAGS);
        // Its directory cannot be made (a file stands there): as a directory the unit cannot write to, even for root.
        Files.writeString(tmp.resolve("not-a-dir"), "");
        config.set(Settings.METRICS_FILE, tmp.resolve("not-a-dir/multus_eni.prom").toString());
        NodeAgent agent = agent();
        agent.boot();

        String cannot = "cannot write " + tmp.resolve("not-a-dir/multus_eni.prom");
        try (LogCapture log = new LogCapture()) {
            run(agent, Duration.ofMinutes(5));
            assertThat(log.text().split(cannot, -1)).as("said once").hasSize(2);
            assertThat(agent.role()).isEqualTo(NodeAgent.Role.HOLDER);
            assertThat(metrics.render()).containsPattern("multus_eni_errors_total\\{kind=\"files\"\\} [1-9]");
            assertThat(Files.readString(tmp.resolve("state/daemon.json"))).as("the other report still written")
                    .contains("\"role\": \"holder\"");

            Files.delete(tmp.resolve("not-a-dir")); // someone fixes it: said once more, and a new failure is news
            run(agent, Duration.ofMinutes(2));
            assertThat(log.text()).containsOnlyOnce("wrote " + tmp.resolve("not-a-dir/multus_eni.prom") + " again");
            Files.delete(tmp.resolve("not-a-dir/multus_eni.prom"));
            Files.delete(tmp.resolve("not-a-dir"));
            Files.writeString(tmp.resolve("not-a-dir"), "");
            run(agent, Duration.ofMinutes(5));
            assertThat(log.text().split(cannot, -1)).as("said again, once").hasSize(3);
        }
    }

    @Test
    void aHolderMakesNoEc2CallAcross20Checks() throws Exception {
        world.addEni(ZONE, TAGS);
        NodeAgent agent = agent();
        agent.boot();
        int before = world.totalCalls();
        long counted = metrics.ec2Calls();

        run(agent, Duration.ofSeconds(60 * 20));

        assertThat(agent.role()).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(world.totalCalls()).isEqualTo(before);
        assertThat(metrics.ec2Calls()).isEqualTo(counted);
        assertThat(metrics.render()).contains("multus_eni_reconciles_total 2").doesNotContain("errors_total{");
    }

    @Test
    void aPodTakingTheInterfaceKeepsTheHolderTheLabelAndWakesNoStandby() throws Exception {
        Ec2World.Eni eni = world.addEni(ZONE, TAGS);
        nodes.register(me.hostname, ZONE);
        NodeAgent agent = agent();
        agent.boot();
        labels.step();
        int apiCalls = nodes.calls().size();
        int describes = world.calls("DescribeNetworkInterfaces");

        links.remove("multus"); // host-device's ADD
        run(agent, Duration.ofSeconds(60 * 6));
        labels.step();

        assertThat(agent.role()).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(statuses).last().isEqualTo("holding " + eni.id + " as multus (a pod has it)");
        assertThat(nodes.labelsOf(me.hostname)).containsEntry("cluster.custom.tags/multus-attached", "true");
        assertThat(nodes.calls().subList(apiCalls, nodes.calls().size())).noneMatch(c -> c.startsWith("unlabel"));
        assertThat(metrics.render()).contains("multus_eni_interface_place{network=\"default\",place=\"pod\"} 1");

        links.add("multus", eni.mac); // host-device's DEL
        run(agent, Duration.ofSeconds(70));

        assertThat(statuses).last().isEqualTo("holding " + eni.id + " as multus");
        assertThat(world.calls("DescribeNetworkInterfaces") - describes).as("one confirmation, for the move into"
                + " the pod").isEqualTo(1);
    }

    @Test
    void driftIsRepairedAtTheNextCheck() throws Exception {
        Ec2World.Eni eni = world.addEni(ZONE, TAGS);
        NodeAgent agent = agent();
        agent.boot();
        links.rename("multus", "eth1");
        me.tags.remove("multus-network-attached");

        run(agent, Duration.ofSeconds(70));

        assertThat(links.macOf("multus")).contains(eni.mac);
        assertThat(me.tags).containsEntry("multus-network-attached", "true");
        assertThat(world.calls("CreateTags")).isEqualTo(2);
    }

    @Test
    void anEniDetachedBehindItsBackMeansStandbyAndAnotherIsTaken() throws Exception {
        Ec2World.Eni first = world.addEni(ZONE, TAGS);
        NodeAgent agent = agent();
        agent.boot();
        Ec2World.Eni second = world.addEni(ZONE, TAGS);
        world.addInstance("i-9", ZONE, 4);
        world.detach(world.eni(first.id).attachment.id, true);
        world.awaitTransitions();
        assertThat(world.eni(first.id).status).isEqualTo("available");
        world.attach(first.id, "i-9", 1, 0); // someone else has it now

        run(agent, Duration.ofSeconds(70));

        assertThat(statuses).anyMatch(s -> s.startsWith("standby: the ENI was detached behind its back"));
        assertThat(agent.role()).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(world.eni(second.id).attachment.instanceId).isEqualTo("i-1");
        assertThat(links.macOf("multus")).contains(second.mac);
        assertThat(happened).as("what the Node's Events tell").extracting(h -> h.getClass().getSimpleName() + " "
                + (h instanceof Happening.Lost l ? l.eniId() : heldOf(h).eniId()))
                .containsExactly("Attached " + first.id, "Lost " + first.id, "Attached " + second.id);
    }

    @Test
    void anImdsOutageInTheLoopKeepsTheStateAndIsRetried() throws Exception {
        world.addEni(ZONE, TAGS);
        NodeAgent agent = agent();
        agent.boot();
        imds.down(true);

        run(agent, Duration.ofSeconds(120));
        assertThat(agent.role()).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(metrics.render()).contains("multus_eni_errors_total{kind=\"imds\"}");

        imds.down(false);
        run(agent, Duration.ofSeconds(70));
        assertThat(agent.role()).isEqualTo(NodeAgent.Role.HOLDER);
    }

    @Test
    void aSpotNoticeReleasesAtOnceAndNothingIsTakenAgain() throws Exception {
        Ec2World.Eni eni = world.addEni(ZONE, TAGS);
        NodeAgent agent = agent();
        agent.boot();

        me.spotAction = "{\"action\": \"terminate\"}";
        pass(agent);
        pass(agent);

        assertThat(agent.role()).isEqualTo(NodeAgent.Role.LEAVING);
        assertThat(world.eni(eni.id).status).isEqualTo("available");
        assertThat(happened).last().isEqualTo(new Happening.Released("default", eni.id,
                "the instance is leaving (spot interruption: {\"action\": \"terminate\"})"));
        assertThat(me.tags).doesNotContainKey("multus-network-attached");
        run(agent, Duration.ofMinutes(10));
        assertThat(world.calls("AttachNetworkInterface")).isEqualTo(1);
    }

    @Test
    void aStandbyLooksWithGrowingBackoffUpToTheMaximum() throws Exception {
        config.set(Settings.STANDBY_MIN, "10s");
        config.set(Settings.STANDBY_MAX, "1m");
        NodeAgent agent = agent();
        agent.boot();
        int afterBoot = world.calls("DescribeNetworkInterfaces");

        run(agent, Duration.ofMinutes(10));

        int looks = world.calls("DescribeNetworkInterfaces") - afterBoot;
        // 10 s doubling to 60 s (half of each fixed, half random): about 12 looks in 10 minutes, not 60.
        assertThat(looks).isBetween(9, 22);
    }

    @Test
    void aBootThatFoundNothingWaitsItsBackoffBeforeTheFirstStandbyLook() throws Exception {
        config.set(Settings.STANDBY_MIN, "10s");
        NodeAgent agent = agent();
        agent.boot();
        int afterBoot = world.calls("DescribeNetworkInterfaces");

        run(agent, Duration.ofSeconds(4)); // under half the first backoff: no look can be due yet

        assertThat(agent.role()).isEqualTo(NodeAgent.Role.STANDBY);
        assertThat(world.calls("DescribeNetworkInterfaces")).isEqualTo(afterBoot);
    }

    /**
     * The zone's ENI held by instance i-2 (a Node on the API beside this one's): what a standby boots into. The test
     * speaks for the zone on the API (a label, a claim) before {@link #bootedStandby()}.
     *
     * @return the holder's attachment, to detach as the holder does when it stops
     */
    private String eniHeldByAnotherNode(Ec2World.Eni eni) {
        world.addInstance("i-2", ZONE, 4);
        String attachment = world.attach(eni.id, "i-2", 1, 0);
        nodes.register(imds.identity().localHostname(), ZONE);
        config.set(Settings.BOOT_WAIT, "0s");
        return attachment;
    }

    /** Another Node of the zone that holds the default network's ENI, labelled as multus-eni labels it. */
    private void holderNode(String name) {
        nodes.register(name, ZONE);
        nodes.addLabel(name, LABEL, "true");
        nodes.addLabel(name, ZonePolicy.ACTIVE_LABEL, "true");
    }

    /** This node booted as a standby, its label loop connected and the zone watch started. */
    private NodeAgent bootedStandby() throws Exception {
        NodeAgent agent = agent();
        agent.boot();
        clock.sleep(labels.step());
        return agent;
    }

    @Test
    void whileTheWatchShowsAHolderInTheZoneAStandbyAsksEc2OncePerLongestBackoffAndLooksWhenItGoes()
            throws Exception {
        Ec2World.Eni eni = world.addEni(ZONE, TAGS);
        String attachment = eniHeldByAnotherNode(eni);
        holderNode("holder-node");
        NodeAgent agent = bootedStandby();
        int before = world.totalCalls();
        int describes = world.calls("DescribeNetworkInterfaces");

        run(agent, Duration.ofMinutes(30));
        // Labels are hints: one DescribeNetworkInterfaces per --standby-max (5m), and nothing else.
        assertThat(world.calls("DescribeNetworkInterfaces") - describes).isBetween(5, 6);
        assertThat(world.totalCalls() - before).isEqualTo(world.calls("DescribeNetworkInterfaces") - describes);

        world.detach(attachment, false); // the holder stops, its detach done before this standby looks
        nodes.annotate("holder-node", config.build().defaultNetwork().annotationKey(),
                "{\"eniId\": \"" + eni.id + "\"}"); // what it held, as its annotation said
        nodes.removeLabel("holder-node", "cluster.custom.tags/multus-attached");
        run(agent, Duration.ofSeconds(3));

        assertThat(agent.role()).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(world.eni(eni.id).attachment.instanceId).isEqualTo("i-1");
        assertThat(happened).last().isInstanceOf(Happening.Attached.class)
                .extracting(h -> ((Happening.Attached) h).from()).as("a takeover, from the Node that let go")
                .isEqualTo("holder-node");
    }

    /**
     * As the daemon stops: the holder unlabels first, then detaches. The standby woken by the unlabel can find the
     * ENI still in use; it waits for the detach it was told of instead of backing off, and tells a takeover. (Seen
     * in the end-to-end failover: the takeover came a backoff later, told as a plain attach.)
     */
    @Test
    void aStandbyWokenBeforeTheReleasingHolderDetachesWaitsForTheDetach() throws Exception {
        Ec2World.Eni eni = world.addEni(ZONE, TAGS);
        String attachment = eniHeldByAnotherNode(eni);
        holderNode("holder-node");
        nodes.annotate("holder-node", config.build().defaultNetwork().annotationKey(),
                "{\"eniId\": \"" + eni.id + "\"}");
        NodeAgent agent = bootedStandby();
        run(agent, Duration.ofMinutes(3)); // the backoff has grown past the test's span
        int describes = world.calls("DescribeNetworkInterfaces");
        AtomicBoolean detached = new AtomicBoolean();
        clock.meanwhile(() -> {
            if (world.calls("DescribeNetworkInterfaces") > describes && !detached.getAndSet(true)) {
                world.detach(attachment, false); // after the standby's first look since the unlabel
            }
        });

        nodes.removeLabel("holder-node", LABEL);
        run(agent, Duration.ofSeconds(5));

        assertThat(detached).as("the standby looked while the ENI was still in use").isTrue();
        assertThat(agent.role()).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(happened).last().isInstanceOf(Happening.Attached.class)
                .extracting(h -> ((Happening.Attached) h).from()).isEqualTo("holder-node");
    }

    @Test
    void aLabelLeftBehindByAHolderThatCouldNotUnlabelNeverStrandsTheFreeEni() throws Exception {
        Ec2World.Eni eni = world.addEni(ZONE, TAGS);
        String attachment = eniHeldByAnotherNode(eni);
        holderNode("holder-node");
        config.set(Settings.STANDBY_MAX, "20s");
        NodeAgent agent = bootedStandby();
        // The holder stopped with the API server refusing its writes: the ENI released, its label left behind.
        world.detach(attachment, false);

        run(agent, Duration.ofSeconds(45));

        assertThat(nodes.labelsOf("holder-node")).containsEntry(LABEL, "true");
        assertThat(agent.role()).as("within --standby-max of the last look").isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(world.eni(eni.id).attachment.instanceId).isEqualTo("i-1");
    }

    @Test
    void aClaimDatedNextYearDoesNotKeepTheZonesStandbysAway() throws Exception {
        Ec2World.Eni eni = world.addEni(ZONE, TAGS);
        String attachment = eniHeldByAnotherNode(eni);
        nodes.register("claimer", ZONE);
        nodes.addLabel("claimer", ZonePolicy.ACTIVE_LABEL, "true");
        NodeAgent agent = bootedStandby();
        Network main = config.build().defaultNetwork();
        nodes.annotate("claimer", "multus-eni.io/claim-multus", clock.instant().toString());
        assertThat(labels.zoneBusy(main)).as("a claim of now counts").contains(true);
        nodes.annotate("claimer", "multus-eni.io/claim-multus", clock.instant().plus(Duration.ofDays(365))
                .toString());
        assertThat(labels.zoneBusy(main)).as("one dated next year does not").contains(false);
        world.detach(attachment, false);

        run(agent, Duration.ofMinutes(1));

        assertThat(agent.role()).isEqualTo(NodeAgent.Role.HOLDER);
    }

    @Test
    void theMetricsFileSaysWhatTheNodeDoes() throws Exception {
        Ec2World.Eni eni = world.addEni(ZONE, TAGS);
        NodeAgent agent = agent();
        agent.boot();
        pass(agent);

        String prom = Files.readString(tmp.resolve("multus_eni.prom"));
        assertThat(prom).contains("multus_eni_attached{network=\"default\",eni=\"" + eni.id
                        + "\",interface=\"multus\"} 1")
                .contains("multus_eni_role{network=\"default\",role=\"holder\"} 1")
                .contains("multus_eni_role{network=\"default\",role=\"standby\"} 0")
                .contains("multus_eni_ec2_calls_total{action=\"AttachNetworkInterface\"} 1")
                .contains("multus_eni_boot_attach_seconds{network=\"default\"}")
                .contains("# TYPE multus_eni_reconciles_total counter")
                .contains("multus_eni_interface_place{network=\"default\",place=\"host\"} 1")
                .contains("multus_eni_interface_place{network=\"default\",place=\"pod\"} 0");
        assertThat(Files.readString(tmp.resolve("state/daemon.json"))).startsWith("{\"role\": \"holder\", \"eniId\": \""
                + eni.id + "\", \"interfacePlace\": \"host\", \"bootAttachSeconds\": ").contains("\"reconciles\": 0,"
                + " \"imdsLags\": 0, \"errors\": {}, \"ec2Calls\": {\"AttachNetworkInterface\": 1")
                .contains("\"networks\": {\"default\": {\"role\": \"holder\", \"eniId\": \"" + eni.id + "\"");
    }

    // ---------------------------------------------------------------- several networks

    private static final String SIG = "sig=interface-name=multus-sig;eni-tag=multus=sig,cluster={cluster},Zone={zone}";
    private static final Map<String, String> SIG_TAGS = Map.of("multus", "sig", "cluster", "prod", "Zone", ZONE);
    private static final String LABEL = "cluster.custom.tags/multus-attached";
    private static final String SIG_LABEL = "cluster.custom.tags/multus-sig-attached";

    @Test
    void eachNetworkIsHeldNamedLabelledAnnotatedAndTaggedAtItsOwnDeviceIndex() throws Exception {
        config.networks(SIG);
        Ec2World.Eni main = world.addEni(ZONE, TAGS);
        Ec2World.Eni sig = world.addEni(ZONE, SIG_TAGS);
        nodes.register(me.hostname, ZONE);
        NodeAgent agent = agent();

        agent.boot();
        labels.step();

        assertThat(agent.role("default")).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(agent.role("sig")).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(links.macOf("multus")).contains(main.mac);
        assertThat(links.macOf("multus-sig")).contains(sig.mac);
        assertThat(List.of(world.eni(main.id).attachment.deviceIndex, world.eni(sig.id).attachment.deviceIndex))
                .containsExactly(1, 2);
        assertThat(me.tags).containsEntry("multus-network-attached", "true")
                .containsEntry("multus-sig-network-attached", "true");
        assertThat(nodes.labelsOf(me.hostname)).containsEntry(LABEL, "true").containsEntry(SIG_LABEL, "true");
        assertThat(nodes.annotationsOf(me.hostname))
                .containsEntry("multus-eni.io/multus", "{\"eniId\": \"" + main.id + "\", \"privateIps\": [\""
                        + main.privateIp + "\"], \"mac\": \"" + main.mac + "\", \"subnetId\": \"" + main.subnetId
                        + "\", \"zone\": \"" + ZONE + "\"}")
                .containsEntry("multus-eni.io/networks", "multus,multus-sig");
        assertThat(nodes.annotationsOf(me.hostname).get("multus-eni.io/multus-sig")).contains(sig.id, sig.privateIp);
        assertThat(tmp.resolve("network/10-multus-eni.link")).content().contains(main.mac);
        assertThat(tmp.resolve("network/10-multus-eni-sig.link")).content().contains(sig.mac, "Name=multus-sig");
        assertThat(tmp.resolve("state/state-sig.json")).content().contains(sig.id);
        assertThat(statuses).last().isEqualTo("multus: holding " + main.id + " as multus; multus-sig: holding "
                + sig.id + " as multus-sig");
        assertThat(metrics.render()).contains("multus_eni_attached{network=\"sig\",eni=\"" + sig.id
                + "\",interface=\"multus-sig\"} 1");
    }

    /**
     * Every network's ENI is released at once, so all are within one detach timeout (what the stop hook and
     * systemd's TimeoutStopSec allow): the second detach is asked for before the first ENI has left the instance.
     */
    @Test
    void everyNetworkIsReleasedAtOnce() throws Exception {
        config.networks(SIG);
        config.set(Settings.DETACH_TIMEOUT, "10m"); // on the test clock: real time enough for the stand-in's detach
        world.addEni(ZONE, TAGS);
        world.addEni(ZONE, SIG_TAGS);
        NodeAgent agent = agent();
        agent.boot();
        assertThat(agent.role("sig")).isEqualTo(NodeAgent.Role.HOLDER);
        // The releases run on threads of their own, each sleeping the one fake clock: this test alone lets real
        // time pass in a sleep, so a detach that takes 100 ms of it shows whether the second was asked for first.
        world.detachDelay(100);
        clock.meanwhile(() -> {
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        HotPlug links = me.hotPlug;
        me.hotPlug = new HotPlug() {
            @Override
            public void plugged(String mac, int deviceIndex) {
                links.plugged(mac, deviceIndex);
            }

            @Override
            public void unplugged(String mac) {
                world.log().record("unplugged " + mac);
                links.unplugged(mac);
            }
        };

        agent.release();

        List<String> order = world.mutations().stream().filter(m -> m.startsWith("DetachNetworkInterface")
                || m.startsWith("unplugged")).map(m -> m.split(" ")[0]).toList();
        assertThat(order).containsExactly("DetachNetworkInterface", "DetachNetworkInterface", "unplugged", "unplugged");
        assertThat(world.attachedTo("i-1")).hasSize(1); // its primary ENI only
    }

    @Test
    void anEniDetachedBehindItsBackTakesOnlyItsOwnNetworksLabelAndAnnotation() throws Exception {
        config.networks(SIG);
        world.addEni(ZONE, TAGS);
        Ec2World.Eni sig = world.addEni(ZONE, SIG_TAGS);
        nodes.register(me.hostname, ZONE);
        NodeAgent agent = agent();
        agent.boot();
        labels.step();

        world.detach(world.eni(sig.id).attachment.id, true);
        // Tagged for another use meanwhile: this node has none to take back, and stays a standby for it.
        world.deleteTags(List.of(sig.id), Map.of("multus", Optional.empty()));
        run(agent, Duration.ofSeconds(70));
        labels.step();

        assertThat(agent.role("default")).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(agent.role("sig")).isEqualTo(NodeAgent.Role.STANDBY);
        assertThat(nodes.labelsOf(me.hostname)).containsEntry(LABEL, "true").doesNotContainKey(SIG_LABEL);
        assertThat(nodes.annotationsOf(me.hostname)).containsKey("multus-eni.io/multus")
                .doesNotContainKey("multus-eni.io/multus-sig");
        assertThat(me.tags).containsEntry("multus-network-attached", "true")
                .doesNotContainKey("multus-sig-network-attached");
        assertThat(tmp.resolve("network/10-multus-eni.link")).exists();
        assertThat(tmp.resolve("network/10-multus-eni-sig.link")).doesNotExist();
    }

    @Test
    void anAttachmentLimitOnTheSecondNetworkLeavesTheFirstHolding() throws Exception {
        world.close();
        world = InstantWorld.create();
        me = InstantWorld.thisNode(world, ZONE, links, 2); // the primary interface and one more
        imds = new WorldImds(world, "i-1");
        config.networks(SIG);
        Ec2World.Eni main = world.addEni(ZONE, TAGS);
        world.addEni(ZONE, SIG_TAGS);
        NodeAgent agent = agent();

        agent.boot();
        run(agent, Duration.ofMinutes(10));

        assertThat(agent.role("default")).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(agent.role("sig")).isEqualTo(NodeAgent.Role.STANDBY);
        assertThat(links.macOf("multus")).contains(main.mac);
        assertThat(statuses).last().asString().startsWith("multus: holding " + main.id + " as multus; multus-sig:"
                + " standby: instance i-1 cannot take another network interface for network sig (multus-sig)");
        assertThat(metrics.render()).contains("multus_eni_errors_total{network=\"sig\",kind=\"reconcile\"}")
                .doesNotContain("network=\"default\",kind=");
        assertThat(happened).filteredOn(h -> h.network().equals("sig")).as("each look, the same failure")
                .hasSizeGreaterThan(2).allSatisfy(h -> assertThat(h).isInstanceOf(Happening.Failed.class)
                        .extracting(f -> ((Happening.Failed) f).why()).asString()
                        .contains("cannot take another network interface"));
    }

    @Test
    void anImdsOutageIsTheNodesProblemCountedAndLoggedOnceWhateverTheNumberOfNetworks() throws Exception {
        config.networks(SIG);
        world.addEni(ZONE, TAGS);
        world.addEni(ZONE, SIG_TAGS);
        NodeAgent agent = agent();
        agent.boot();
        imds.down(true);

        try (LogCapture log = new LogCapture()) {
            pass(agent);

            assertThat(metrics.render()).contains("multus_eni_errors_total{kind=\"imds\"} 1");
            assertThat(log.text().lines().filter(l -> l.contains("keeping the state"))).hasSize(1);
        }
        assertThat(agent.role("default")).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(agent.role("sig")).isEqualTo(NodeAgent.Role.HOLDER);
    }

    @Test
    void theDefaultNetworkComesFirstInTheReportEvenWhenItsBootFails() throws Exception {
        config.networks(SIG);
        world.addEni(ZONE, TAGS);
        Ec2World.Eni sig = world.addEni(ZONE, SIG_TAGS);
        links.add("multus", "02:00:00:00:00:99"); // the name is taken: the default network cannot be had
        NodeAgent agent = agent();

        agent.boot();
        pass(agent);

        assertThat(agent.role("sig")).isEqualTo(NodeAgent.Role.HOLDER);
        assertThat(Files.readString(tmp.resolve("state/daemon.json")))
                .startsWith("{\"role\": \"standby\", \"eniId\": null")
                .contains("\"networks\": {\"default\": {\"role\": \"standby\"")
                .contains("\"sig\": {\"role\": \"holder\", \"eniId\": \"" + sig.id + "\"");
    }

    @Test
    void anAttachmentLimitWithOneNetworkStillFailsTheBoot() {
        world.close();
        world = InstantWorld.create();
        me = InstantWorld.thisNode(world, ZONE, links, 1);
        imds = new WorldImds(world, "i-1");
        world.addEni(ZONE, TAGS);
        NodeAgent agent = agent();

        assertThatThrownBy(agent::boot).isInstanceOf(ReconcileFailure.class)
                .hasMessageContaining("cannot take another network interface for network multus");
        assertThat(happened).singleElement().isInstanceOf(Happening.Failed.class).as("told before the exit")
                .extracting(Happening::network).isEqualTo("default");
    }

    @Test
    void aRestartKeepsTheEniItHoldsAndSaysItAdoptedIt() throws Exception {
        Ec2World.Eni eni = world.addEni(ZONE, TAGS);
        agent().boot();
        happened.clear();

        agent().boot(); // the daemon again, as after systemctl restart

        assertThat(happened).singleElement().isInstanceOf(Happening.Adopted.class)
                .extracting(h -> ((Happening.Adopted) h).held().eniId()).isEqualTo(eni.id);
    }
}
