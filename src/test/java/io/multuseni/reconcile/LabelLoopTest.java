package io.multuseni.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.aws.Imds;
import io.multuseni.config.Config;
import io.multuseni.testing.ConfigBuilder;
import io.multuseni.testing.FakeClock;
import io.multuseni.testing.FakeLinks;
import io.multuseni.testing.FakeNodes;
import io.multuseni.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The label decisions and the loop's pacing, one pass at a time on a fake clock. */
class LabelLoopTest {
    private static final String NODE = "ip-10-0-1-10.eu-west-2.compute.internal";
    private static final String KEY = "cluster.custom.tags/multus-attached";
    private static final String MAC = "0a:00:00:00:00:01";

    @TempDir
    Path tmp;

    private final FakeClock clock = new FakeClock();
    private final FakeLinks links = new FakeLinks(clock);
    private final FakeNodes nodes = new FakeNodes(clock);
    private final AtomicReference<Status> held = new AtomicReference<>();
    private LabelLoop loop;

    @BeforeEach
    void setUp() {
        ConfigBuilder builder = new ConfigBuilder(tmp);
        builder.interval = "10s";
        Config config = builder.build();
        NodeContext node = new NodeContext(new Imds.Identity("i-1", "eu-west-2", "eu-west-2a", NODE), Optional.of("prod"),
                new Selector(Map.of("multus", "true"), "eu-west-2a"), "multus-network-attached", "true", NODE);
        loop = new LabelLoop(() -> nodes, links, config, node, () -> Optional.ofNullable(held.get()), new Random(3));
    }

    private void holdEni() {
        held.set(new Status("i-1", "eu-west-2a", "prod", "eni-1", MAC, 1, "eni-attach-1", "attached", "multus", true,
                true, NODE, null, null));
        links.add("multus", MAC);
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

    @Test
    void aLabelRemovedBySomeoneElseIsRestoredOnTheNextPass() {
        holdEni();
        nodes.register(NODE);
        loop.step();

        nodes.removedByOthers(NODE, KEY);
        loop.step();

        assertThat(nodes.labelsOf(NODE)).containsEntry(KEY, "true");
    }

    @Test
    void losingTheInterfaceRemovesTheLabel() {
        holdEni();
        nodes.register(NODE);
        loop.step();

        links.unplugged(MAC);
        loop.step();

        assertThat(nodes.labelsOf(NODE)).doesNotContainKey(KEY);
    }

    @Test
    void anInterfaceNamedRightWithAnotherMacIsNoReasonToLabel() {
        holdEni();
        links.unplugged(MAC);
        links.add("multus", "02:00:00:00:00:99");
        nodes.register(NODE);

        loop.step();

        assertThat(nodes.labelsOf(NODE)).doesNotContainKey(KEY);
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
}
