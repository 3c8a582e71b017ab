package io.multuseni.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.config.Config;
import io.multuseni.metrics.Metrics;
import io.multuseni.net.NetworkdFiles;
import io.multuseni.standin.Ec2World;
import io.multuseni.testing.ConfigBuilder;
import io.multuseni.testing.FakeLinks;
import io.multuseni.testing.FakeNodes;
import io.multuseni.testing.WorldEc2;
import io.multuseni.testing.WorldImds;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    private static final String LABEL = "cluster.custom.tags/multus-attached";
    private static final int EVENTS = 200;

    @TempDir
    Path tmp;

    private final Ec2World world = new Ec2World("eu-west-2");
    private final FakeNodes nodes = new FakeNodes(Clock.systemUTC());
    private final List<SimNode> fleet = new ArrayList<>();

    /** One node: its instance and interfaces persist; the daemon on it comes and goes. */
    private final class SimNode {
        final Ec2World.Instance instance;
        final FakeLinks links = new FakeLinks(Clock.systemUTC());
        final WorldImds imds;
        final Path dir;
        EniReconciler reconciler;
        LabelLoop labels;
        NodeAgent agent;
        Thread loop;

        SimNode(String id, Path dir) {
            instance = world.addInstance(id, ZONE, 4);
            instance.tags.put("eks:cluster-name", "prod");
            instance.hotPlug = links;
            imds = new WorldImds(world, id);
            this.dir = dir;
            nodes.register(instance.hostname, ZONE);
        }

        boolean running() {
            return loop != null;
        }

        void start() {
            ConfigBuilder b = new ConfigBuilder(dir);
            b.bootWait = "0s";
            b.interval = "1s";
            b.standbyMin = "100ms";
            b.standbyMax = "400ms";
            b.attachTimeout = "2s";
            b.detachTimeout = "2s";
            Config c = b.build();
            WorldEc2 ec2 = new WorldEc2(world, false);
            NodeContext node = NodeContext.resolve(c, imds.identity(), ec2);
            reconciler = new EniReconciler(ec2, imds, links, new NetworkdFiles(c.networkConfigDir()),
                    new StateFile(c.stateDir()), c, node, Clock.systemUTC(), Sleeper.REAL, new Random());
            labels = new LabelLoop(() -> nodes, links, c, node, reconciler::held, new Random());
            agent = new NodeAgent(reconciler, imds, Optional.of(labels), c, Clock.systemUTC(), new Random(),
                    new Metrics(Clock.systemUTC()), s -> {});
            Semaphore wake = new Semaphore(0);
            agent.wakeWith(wake::release);
            loop = new Thread(() -> {
                try {
                    agent.boot();
                    labels.start();
                    while (true) {
                        wake.tryAcquire(Math.min(agent.step().toMillis(), 100), TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    // An interrupted EC2 call: the daemon would release (stop) or simply be gone (kill).
                }
            }, "soak-" + instance.id);
            loop.start();
        }

        /** The process ends: graceful releases as the daemon's stop does; a kill leaves everything as it is. */
        void end(boolean graceful) throws InterruptedException {
            loop.interrupt();
            loop.join(10_000);
            loop = null;
            if (graceful) {
                Thread.interrupted();
                labels.stopAndUnlabel();
                reconciler.release();
            } else {
                labels.stop();
            }
        }

        boolean labelled() {
            return "true".equals(nodes.labelsOf(instance.hostname).get(LABEL));
        }
    }

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
            SimNode n = new SimNode("i-" + i, tmp.resolve("n" + i));
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
                kind = n.agent.role() == NodeAgent.Role.HOLDER ? "graceful stop of the holder" : "graceful stop";
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
        long holders = fleet.stream().filter(n -> n.running() && n.agent.role() == NodeAgent.Role.HOLDER).count();
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
