package io.multuseni.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.config.Settings;
import io.multuseni.standin.Ec2World;
import io.multuseni.testing.FakeNodes;
import io.multuseni.testing.SimNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, one ENI, 200 random graceful stops, kills and starts, in real time with short
 * intervals: the real reconcile code on threads against the in-memory EC2 world. After each settle:
 * at most one holder and never two attachments, label ⇔ interface on every node, and every graceful
 * stop of the holder left the ENI free.
 */
class SoakTest {
    private static final String ZONE = "eu-west-2a";
    private static final int EVENTS = 200;

    @TempDir
    Path tmp;

    private final Ec2World world = new Ec2World("eu-west-2");
    private final FakeNodes nodes = new FakeNodes(Clock.systemUTC());
    private final List<SimNode> fleet = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        for (SimNode n : fleet) {
            if (n.running()) {
                n.end(false);
            }
        }
        world.close();
    }

    @Test
    void randomStopsKillsAndStartsNeverBreakTheInvariants() throws Exception {
        world.attachDelay(20);
        world.detachDelay(20);
        Ec2World.Eni eni = world.addEni(ZONE, Map.of("multus", "true", "cluster", "prod", "Zone", ZONE));
        for (int i = 0; i < 3; i++) {
            SimNode n = new SimNode(world, nodes, "i-" + i, ZONE, tmp.resolve("n" + i), b -> {
                b.set(Settings.INTERVAL, "1s");
                b.set(Settings.STANDBY_MIN, "100ms");
                b.set(Settings.STANDBY_MAX, "400ms");
                b.set(Settings.ATTACH_TIMEOUT, "2s");
                b.set(Settings.DETACH_TIMEOUT, "2s");
            });
            fleet.add(n);
            n.start();
        }
        Random random = new Random(42);
        Map<String, Integer> counts = new TreeMap<>();
        for (int event = 0; event < EVENTS; event++) {
            SimNode n = fleet.get(random.nextInt(fleet.size()));
            String kind;
            if (!n.running()) {
                kind = "start";
                n.start();
            } else if (random.nextBoolean()) {
                kind = n.role() == NodeAgent.Role.HOLDER ? "graceful stop of the holder" : "graceful stop";
                n.end(true);
                Ec2World.Attachment a = world.eni(eni.id).attachment;
                assertThat(a == null || !a.instanceId.equals(n.instance.id))
                        .as("event %d: a stopped holder left %s attached", event, eni.id).isTrue();
            } else {
                kind = "kill";
                n.end(false);
            }
            counts.merge(kind, 1, Integer::sum);
            Thread.sleep(500); // settle: a few checks, looks and label passes
            checkInvariants(event, eni);
        }
        counts.put("takeovers", world.mutations().stream().filter(m -> m.startsWith("AttachNetworkInterface"))
                .toList().size());
        System.out.println("soak: " + EVENTS + " events " + counts + "; invariants held after every settle");
        assertThat(counts.get("takeovers")).isGreaterThan(10);
    }

    private void checkInvariants(int event, Ec2World.Eni eni) {
        long holders = fleet.stream().filter(n -> n.running() && n.role() == NodeAgent.Role.HOLDER).count();
        assertThat(holders).as("event %d: holders", event).isLessThanOrEqualTo(1);
        for (SimNode n : fleet) {
            assertThat(world.attachedTo(n.instance.id).stream().filter(e -> e.id.equals(eni.id)).count())
                    .isLessThanOrEqualTo(1);
            boolean named = n.links.macOf("multus").map(eni.mac::equalsIgnoreCase).orElse(false);
            if (n.running()) {
                assertThat(n.labelled()).as("event %d: %s label ⇔ interface (named=%s)", event, n.instance.id, named)
                        .isEqualTo(named);
            } else {
                assertThat(!n.labelled() || named).as("event %d: %s stopped with a label but no interface", event,
                        n.instance.id).isTrue();
            }
        }
    }
}
