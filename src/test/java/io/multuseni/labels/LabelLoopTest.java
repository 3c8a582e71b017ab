package io.multuseni.labels;

import io.multuseni.aws.Eni;
import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.aws.Imds;
import io.multuseni.config.Config;
import io.multuseni.config.Settings;
import io.multuseni.kube.KubeFailure;
import io.multuseni.kube.Nodes;
import io.multuseni.node.Held;
import io.multuseni.node.NodeContext;
import io.multuseni.node.Place;
import io.multuseni.node.Wakeups;
import io.multuseni.testing.ConfigBuilder;
import io.multuseni.testing.FakeClock;
import io.multuseni.testing.FakeNodes;
import io.multuseni.testing.LogCapture;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The label decisions and the loop's pacing, one pass at a time on a fake clock. */
class LabelLoopTest {
    private static final String NODE = "ip-10-0-1-10.eu-west-2.compute.internal";
    private static final String KEY = "cluster.custom.tags/multus-attached";
    private static final String MAC = "0a:00:00:00:00:01";

    @TempDir
    Path tmp;

    private final FakeClock clock = new FakeClock();
    private final FakeNodes nodes = new FakeNodes(clock);
    private final AtomicReference<Held> held = new AtomicReference<>();
    private final Wakeups wakeups = new Wakeups();
    private LabelLoop loop;
    private Config config;

    private final AtomicReference<Object> kubeconfig = new AtomicReference<>("v1");
    private final List<Supplier<Nodes>> connections = new ArrayList<>();
    private int connects;

    @BeforeEach
    void setUp() {
        ConfigBuilder builder = new ConfigBuilder(tmp);
        builder.set(Settings.INTERVAL, "10s");
        config = builder.build();
        NodeContext node = new NodeContext(new Imds.Identity("i-1", "eu-west-2", "eu-west-2a", NODE), Optional.of("prod"),
                NODE);
        loop = new LabelLoop(() -> {
            connects++;
            return connections.isEmpty() ? nodes : connections.remove(0).get();
        }, kubeconfig::get, config, node, Map.of(config.defaultNetwork(), () -> Optional.ofNullable(held.get())),
                wakeups, clock, new Random(3));
    }

    private void holdEni(Place place) {
        held.set(new Held("eni-1", MAC, List.of("10.0.9.1"), "subnet-1", 1, "eni-attach-1", Eni.AttachmentState.ATTACHED,
                place == Place.POD ? null : "multus", place == Place.HOST, place));
    }

    private void holdEni() {
        holdEni(Place.HOST);
    }

    @Test
    void aNodeThatRegistersLateIsLabelledWhenItDoes() {
        holdEni();
        assertThat(loop.step()).isEqualTo(Duration.ofSeconds(10));
        assertThat(nodes.calls()).containsExactly("get " + NODE, "watch " + NODE, "watchZone eu-west-2a");

        nodes.register(NODE);
        loop.step();

        assertThat(nodes.labelsOf(NODE)).containsEntry(KEY, "true");
    }

    /** The active label puts this Node in its zone's watches while it holds an ENI, and only then. */
    @Test
    void theNodeIsInItsZonesWatchesWhileItHoldsAndOnlyThen() {
        nodes.register(NODE, "eu-west-2a");
        loop.step();
        assertThat(nodes.labelsOf(NODE)).doesNotContainKey(ZonePolicy.ACTIVE_LABEL);

        holdEni();
        loop.step();
        assertThat(nodes.labelsOf(NODE)).containsEntry(KEY, "true").containsEntry(ZonePolicy.ACTIVE_LABEL, "true");
        assertThat(loop.zoneBusy(config.defaultNetwork())).as("its own label speaks to others only").contains(false);

        held.set(null);
        loop.step();
        assertThat(nodes.labelsOf(NODE)).doesNotContainKeys(KEY, ZonePolicy.ACTIVE_LABEL);
    }

    /** Another Node of the zone letting go is told to the loop's wakeups, for that network; this Node's own is not. */
    @Test
    void aReleaseElsewhereInTheZoneIsToldToTheWakeupsAndOurOwnIsNot() throws Exception {
        String other = "ip-10-0-1-11.eu-west-2.compute.internal";
        nodes.register(NODE, "eu-west-2a");
        nodes.register(other, "eu-west-2a");
        nodes.annotate(other, config.defaultNetwork().annotationKey(), "{\"eniId\": \"eni-0other\", \"mac\": \"x\"}");
        nodes.addLabel(other, KEY, "true");
        nodes.addLabel(other, ZonePolicy.ACTIVE_LABEL, "true");
        holdEni();
        loop.step();
        assertThat(wakeups.await(Duration.ZERO)).as("nothing released yet").isFalse();

        held.set(null);
        loop.step(); // this Node lets go of its own label
        assertThat(wakeups.takeZoneRelease(config.defaultNetwork())).as("our own release").isEmpty();

        nodes.removeLabel(other, KEY);
        assertThat(wakeups.await(Duration.ZERO)).isTrue();
        assertThat(wakeups.takeZoneRelease(config.defaultNetwork()))
                .as("who let go, and of which ENI (its annotation said)")
                .contains(new Wakeups.Release(other, "eni-0other"));
        assertThat(wakeups.takeZoneRelease(config.defaultNetwork())).as("taken once").isEmpty();
    }

    /**
     * A zone watch that stays open but stops delivering is found once it has differed from the list for the grace,
     * said at error, and rebuilt; passes in quick succession (kicked by a claim) never count as behind.
     */
    @Test
    void aZoneWatchThatStoppedDeliveringIsRebuilt() throws Exception {
        nodes.register(NODE, "eu-west-2a");
        nodes.register("holder", "eu-west-2a");
        loop.step();
        nodes.stallZoneWatches();
        nodes.addLabel("holder", KEY, "true");
        nodes.addLabel("holder", ZonePolicy.ACTIVE_LABEL, "true");
        assertThat(loop.zoneBusy(config.defaultNetwork())).as("the stalled watch shows nothing").contains(false);

        try (LogCapture log = new LogCapture()) {
            for (int kicked = 0; kicked < 5; kicked++) {
                loop.step();
                clock.sleep(Duration.ofMillis(100));
            }
            assertThat(log.messages()).as("a moment late is not behind").noneMatch(m -> m.startsWith("ERROR"));
            clock.sleep(LabelLoop.ZONE_WATCH_GRACE);
            loop.step();
            assertThat(log.messages()).contains("ERROR the watch of the Nodes of eu-west-2a fell behind: it has not"
                    + " shown the Nodes the API server lists for 5s; watching anew (a release in the zone is"
                    + " only seen through it)");
        }
        assertThat(nodes.calls()).filteredOn(c -> c.startsWith("watchZone")).hasSize(2);
        assertThat(loop.zoneBusy(config.defaultNetwork())).contains(true);
    }

    /** A release the stalled watch never told is told when the watch is rebuilt: the new one starts after it. */
    @Test
    void aReleaseTheStalledWatchMissedIsToldWhenItIsRebuilt() throws Exception {
        nodes.register(NODE, "eu-west-2a");
        nodes.register("holder", "eu-west-2a");
        nodes.annotate("holder", config.defaultNetwork().annotationKey(), "{\"eniId\": \"eni-0held\"}");
        nodes.addLabel("holder", KEY, "true");
        nodes.addLabel("holder", ZonePolicy.ACTIVE_LABEL, "true");
        loop.step();
        assertThat(loop.zoneBusy(config.defaultNetwork())).contains(true);
        nodes.stallZoneWatches();
        nodes.removeLabel("holder", KEY); // the holder stops
        nodes.removeLabel("holder", ZonePolicy.ACTIVE_LABEL);
        loop.step();
        assertThat(wakeups.takeZoneRelease(config.defaultNetwork())).as("the stalled watch said nothing").isEmpty();

        clock.sleep(LabelLoop.ZONE_WATCH_GRACE);
        loop.step();

        assertThat(wakeups.takeZoneRelease(config.defaultNetwork())).contains(new Wakeups.Release("holder",
                "eni-0held"));
    }

    @Test
    void aLabelRemovedBySomeoneElseIsRestoredOnTheNextPass() {
        holdEni();
        nodes.register(NODE);
        loop.step();

        nodes.removedByOthers(NODE, KEY);
        loop.step();

        assertThat(nodes.labelsOf(NODE)).containsEntry(KEY, "true");
    }

    /** The label means: held, and the interface on the host under its name or inside a pod. */
    @ParameterizedTest
    @EnumSource(Place.class)
    void theLabelFollowsWhereTheInterfaceIs(Place place) {
        holdEni(Place.HOST);
        nodes.register(NODE);
        loop.step();

        holdEni(place);
        loop.step();

        if (place == Place.MISNAMED) {
            assertThat(nodes.labelsOf(NODE)).doesNotContainKey(KEY);
        } else {
            assertThat(nodes.labelsOf(NODE)).containsEntry(KEY, "true");
            assertThat(nodes.calls()).noneMatch(c -> c.startsWith("unlabel"));
        }
    }

    @Test
    void holdingNothingRemovesTheLabel() {
        holdEni();
        nodes.register(NODE);
        loop.step();

        held.set(null);
        loop.step();

        assertThat(nodes.labelsOf(NODE)).doesNotContainKey(KEY);
    }

    @Test
    void anyFailureOfTheClientIsRetriedAndABrokenClientIsBuiltAgain() throws Exception {
        holdEni();
        nodes.register(NODE);
        // What fabric8 threw for a 0-byte kubeconfig: not a KubeFailure, and with no message of its own.
        connections.add(() -> {
            throw new NullPointerException();
        });
        connections.add(() -> failingNodes("UnresolvedAddressException"));

        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < LabelLoop.REBUILD_AFTER; i++) {
                assertThat(loop.step()).isLessThan(Duration.ofSeconds(10));
            }
            loop.step();

            assertThat(nodes.labelsOf(NODE)).containsEntry(KEY, "true");
            assertThat(connects).isEqualTo(3);
            assertThat(log.messages()).filteredOn(m -> m.startsWith("WARN")).containsExactly(
                    "WARN Kubernetes: NullPointerException; retrying with backoff (the ENI work goes on)",
                    "WARN Kubernetes: UnresolvedAddressException; retrying with backoff (the ENI work goes on)");
        }
    }

    @Test
    void aChangedKubeconfigBuildsTheClientAgain() {
        holdEni();
        nodes.register(NODE);
        loop.step();
        loop.step();
        assertThat(connects).isEqualTo(1);

        kubeconfig.set("v2");
        loop.step();

        assertThat(connects).isEqualTo(2);
        assertThat(nodes.labelsOf(NODE)).containsEntry(KEY, "true");
    }

    @Test
    void stopAndUnlabelNeverThrowsAndSaysWhatItCouldNotDo() {
        connections.add(() -> {
            throw new IllegalStateException("kubeconfig garbage");
        });
        try (LogCapture log = new LogCapture()) {
            loop.stopAndUnlabel();

            assertThat(log.text()).contains("could not remove label " + KEY + " from node " + NODE
                    + ": kubeconfig garbage; the ENI is released anyway");
        }
    }

    @Test
    void aStaleLabelLeftByACrashIsRemovedWhenHoldingNothing() {
        nodes.register(NODE);
        nodes.addLabel(NODE, KEY, "true");

        loop.step();

        assertThat(nodes.labelsOf(NODE)).doesNotContainKey(KEY);
    }

    @Test
    void anApiServerDownForThirtySecondsIsRetriedWithBackoffAndLoggedOnce() throws Exception {
        holdEni();
        nodes.register(NODE);
        Instant start = clock.instant();
        nodes.downUntil(start.plusSeconds(30));

        try (LogCapture log = new LogCapture()) {
            Duration wait = loop.step();
            while (!nodes.labelsOf(NODE).containsKey(KEY)) {
                clock.sleep(wait);
                wait = loop.step();
            }

            assertThat(log.messages()).filteredOn(m -> m.startsWith("WARN")).hasSize(1);
            assertThat(log.text()).contains("Kubernetes API reachable again");
        }
        Duration labelledAfter = Duration.between(start, clock.instant());
        assertThat(labelledAfter).isGreaterThanOrEqualTo(Duration.ofSeconds(30)).isLessThan(Duration.ofSeconds(40));
        // Backoff, not a hammering: 1 s doubling, capped at the 10 s interval.
        assertThat(nodes.calls()).filteredOn(c -> c.startsWith("get")).hasSizeBetween(5, 9);
    }

    @Test
    void aWatchEventKicksAnImmediatePass() throws Exception {
        holdEni();
        nodes.register(NODE);
        loop.start();
        try {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!nodes.labelsOf(NODE).containsKey(KEY) && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            nodes.removedByOthers(NODE, KEY);
            deadline = System.currentTimeMillis() + 5_000;
            while (!nodes.labelsOf(NODE).containsKey(KEY) && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            // The interval is 10 s of real time: only the watch could have restored it within 5.
            assertThat(nodes.labelsOf(NODE)).containsEntry(KEY, "true");
        } finally {
            loop.stopAndUnlabel();
        }
        assertThat(nodes.labelsOf(NODE)).doesNotContainKey(KEY);
    }

    /** A client whose every call fails as an unresolvable API server address does. */
    private static Nodes failingNodes(String problem) {
        return (Nodes) Proxy.newProxyInstance(Nodes.class.getClassLoader(), new Class<?>[] {Nodes.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    throw new KubeFailure(problem, null);
                });
    }
}
