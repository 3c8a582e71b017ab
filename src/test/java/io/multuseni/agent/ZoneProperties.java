package io.multuseni.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.aws.Ec2;
import io.multuseni.config.Config;
import io.multuseni.config.Settings;
import io.multuseni.eni.EniReconciler;
import io.multuseni.labels.LabelLoop;
import io.multuseni.metrics.Metrics;
import io.multuseni.node.NodeContext;
import io.multuseni.node.Wakeups;
import io.multuseni.standin.Ec2World;
import io.multuseni.standin.HotPlug;
import io.multuseni.testing.ConfigBuilder;
import io.multuseni.testing.FakeClock;
import io.multuseni.testing.FakeLinks;
import io.multuseni.testing.FakeNodes;
import io.multuseni.testing.InstantWorld;
import io.multuseni.testing.Reconcilers;
import io.multuseni.testing.Trees;
import io.multuseni.testing.WorldEc2;
import io.multuseni.testing.WorldImds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The core's safety properties, on random sequences of what happens to the nodes of one zone: the real
 * {@link NodeAgent}s and {@link LabelLoop}s of three nodes, stepped on one fake clock against the in-memory EC2
 * world and API server — stops, kills and restarts, the ENI detached behind the holder's back, IMDS lagging,
 * pods taking the interface and giving it back (by DEL, or lost with the device back as {@code net1}), the API
 * server down, and time passing. After every step: never one ENI in two places, never an attach of an ENI
 * already attached to that instance, a gracefully stopped node holds nothing; once the zone has settled (30 s
 * with the API server up), at most one holder, and the label on exactly the node that holds. jqwik shrinks a
 * failing sequence to the shortest one that still fails.
 */
class ZoneProperties {
    private static final String ZONE = "eu-west-2a";
    private static final int NODES = 3;
    private static final String LABEL = "cluster.custom.tags/multus-attached";
    /** Three checks of a holder, and the longest wait of a standby, twice over. */
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final AtomicInteger SEQUENCES = new AtomicInteger();
    private static final AtomicInteger ATTACHMENTS = new AtomicInteger();

    private final List<Zone> zones = new ArrayList<>();

    @Property(tries = 300, seed = "20261202")
    void whateverHappensInTheZoneTheEniIsInOnePlaceAndOnlyItsHolderIsLabelled(@ForAll("sequences")
                                                                               ActionChain<Zone> chain) {
        chain.withInvariant("one place, no double attach, a stopped node holds nothing", Zone::checkAlways).run();
        SEQUENCES.incrementAndGet();
    }

    @Provide
    Arbitrary<ActionChain<Zone>> sequences() {
        Arbitrary<Integer> node = Arbitraries.integers().between(0, NODES - 1);
        return ActionChain.<Zone>startWith(this::newZone)
                .withAction(4, Action.just(Transformer.mutate("a minute passes",
                        z -> z.advance(Duration.ofMinutes(1)))))
                .withAction(4, independent(Arbitraries.integers().between(1, 30).map(s -> Transformer.mutate(
                        s + " s pass", z -> z.advance(Duration.ofSeconds(s))))))
                .withAction(2, independent(node.map(i -> Transformer.mutate("stop node " + i, z -> z.stop(i)))))
                .withAction(2, independent(node.map(i -> Transformer.mutate("kill node " + i, z -> z.kill(i)))))
                .withAction(3, independent(node.map(i -> Transformer.mutate("start node " + i, z -> z.start(i)))))
                .withAction(1, Action.just(Transformer.mutate("the ENI detached behind its holder's back",
                        Zone::detachBehindTheBack)))
                .withAction(1, independent(node.map(i -> Transformer.mutate("IMDS of node " + i + " lags, or stops"
                        + " lagging", z -> z.toggleImdsLag(i)))))
                .withAction(2, independent(node.map(i -> Transformer.mutate("a pod on node " + i + " takes multus",
                        z -> z.podTakes(i)))))
                .withAction(2, independent(node.map(i -> Transformer.mutate("the pod on node " + i + " goes (DEL)",
                        z -> z.podReturns(i, "multus")))))
                .withAction(1, independent(node.map(i -> Transformer.mutate("the pod on node " + i + " is lost"
                        + " without DEL: the device back as net1", z -> z.podReturns(i, "net1")))))
                .withAction(1, independent(Arbitraries.integers().between(5, 60).map(s -> Transformer.mutate(
                        "the API server down for " + s + " s", z -> z.kubeDown(Duration.ofSeconds(s))))))
                .withMaxTransformations(30);
    }

    private static Action.Independent<Zone> independent(Arbitrary<Transformer<Zone>> transformers) {
        return () -> transformers;
    }

    private Zone newZone() {
        Zone z = new Zone();
        zones.add(z);
        return z;
    }

    @AfterTry
    void closeZones() {
        zones.forEach(Zone::close);
        zones.clear();
    }

    @AfterProperty
    void report() {
        System.out.println("zone properties: " + SEQUENCES.get() + " sequences held every invariant; "
                + ATTACHMENTS.get() + " attachments in all");
    }

    /** One zone: its EC2 world with one ENI, the API server, and three nodes on one clock. */
    static final class Zone {
        final Ec2World world = InstantWorld.create();
        final FakeClock clock = new FakeClock(world::awaitTransitions);
        final FakeNodes nodes = new FakeNodes(clock);
        final Ec2World.Eni eni = world.addEni(ZONE, Map.of("multus", "true", "cluster", "prod", "Zone", ZONE));
        final List<String> doubleAttaches = new ArrayList<>();
        final List<Member> members = new ArrayList<>();
        final Path dir;
        Instant kubeDownUntil = Instant.MIN;

        Zone() {
            try {
                dir = Files.createTempDirectory("zone-properties");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int i = 0; i < NODES; i++) {
                members.add(new Member(this, i));
            }
        }

        void advance(Duration span) {
            Instant from = clock.instant();
            Instant until = from.plus(span);
            while (true) {
                Member next = members.stream().filter(m -> m.due() != null).min(Comparator.comparing(Member::due))
                        .orElse(null);
                if (next == null || next.due().isAfter(until)) {
                    sleepUntil(until);
                    break;
                }
                sleepUntil(next.due());
                next.runDue();
            }
            if (span.compareTo(SETTLE) >= 0 && !kubeDownUntil.isAfter(from)) {
                checkSettled();
            }
        }

        void sleepUntil(Instant at) {
            Duration d = Duration.between(clock.instant(), at);
            if (!d.isNegative() && !d.isZero()) {
                try {
                    clock.sleep(d);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        void stop(int i) {
            members.get(i).stop();
        }

        void kill(int i) {
            members.get(i).kill();
        }

        void start(int i) {
            members.get(i).start();
        }

        void detachBehindTheBack() {
            world.forceDetachIfAttached(eni.id);
            // Done before the next action or the invariant: checked while the world's thread is halfway through
            // (the device unplugged, the attachment not yet cleared), the ENI would seem in two minds.
            world.awaitTransitions();
        }

        void toggleImdsLag(int i) {
            Member m = members.get(i);
            m.imdsLags = !m.imdsLags;
            m.imds.lag.omit(eni.mac, m.imdsLags);
        }

        /** Under the member's lock, as its unplug: a detach completing meanwhile takes the device from either place. */
        void podTakes(int i) {
            Member m = members.get(i);
            synchronized (m) {
                if (m.podMac == null && m.links.macOf("multus").filter(eni.mac::equalsIgnoreCase).isPresent()) {
                    m.links.remove("multus"); // host-device's ADD moves it into the pod
                    m.podMac = eni.mac;
                }
            }
        }

        void podReturns(int i, String as) {
            Member m = members.get(i);
            synchronized (m) {
                if (m.podMac != null) {
                    m.links.add(m.links.macOf(as).isPresent() ? "dev9" : as, m.podMac);
                    m.podMac = null;
                }
            }
        }

        void kubeDown(Duration span) {
            kubeDownUntil = clock.instant().plus(span);
            nodes.downUntil(kubeDownUntil);
        }

        void checkAlways() {
            assertThat(doubleAttaches).as("attaches of an ENI already attached to that instance").isEmpty();
            List<String> places = new ArrayList<>();
            for (Member m : members) {
                m.links.nameOf(eni.mac).ifPresent(name -> places.add(m.id + " as " + name));
                if (eni.mac.equals(m.podMac)) {
                    places.add(m.id + " in a pod");
                }
            }
            assertThat(places).as("where the ENI's device is").hasSizeLessThanOrEqualTo(1);
            Ec2World.Attachment a = world.eni(eni.id).attachment;
            if (!places.isEmpty()) {
                assertThat(a).as("the device is on a node: EC2 has it attached").isNotNull();
                assertThat(places.get(0)).as("on the node EC2 attached it to").startsWith(a.instanceId + " ");
            }
            for (Member m : members) {
                if (m.agent == null && m.end == End.STOPPED) {
                    assertThat(world.attachedTo(m.id)).as("%s stopped gracefully holds nothing", m.id)
                            .allMatch(e -> e.attachment.deviceIndex == 0);
                }
            }
        }

        /** After 30 s with the API server up: one holder at most, and the label on exactly the node that holds. */
        void checkSettled() {
            List<Member> holders = members.stream().filter(m -> m.agent != null
                    && m.agent.role() == NodeAgent.Role.HOLDER).toList();
            assertThat(holders).as("holders of the zone's ENI").hasSizeLessThanOrEqualTo(1);
            for (Member m : members) {
                boolean labelled = "true".equals(nodes.labelsOf(m.hostname).get(LABEL));
                if (m.agent != null) {
                    assertThat(labelled).as("%s (%s): labelled ⇔ holding", m.id, m.agent.role())
                            .isEqualTo(m.agent.role() == NodeAgent.Role.HOLDER);
                } else if (labelled) {
                    assertThat(m.end).as("%s, not running, keeps its label only when killed or stopped while"
                            + " the API server refused it", m.id).isIn(End.KILLED, End.STOPPED_API_DOWN, End.NEVER);
                }
            }
        }

        void close() {
            members.forEach(Member::kill);
            world.close();
            Trees.delete(dir);
        }
    }

    enum End { NEVER, STOPPED, STOPPED_API_DOWN, KILLED }

    /** One node: its instance, interfaces, IMDS and Node, and while it runs its agent and label loop. */
    static final class Member {
        final Zone zone;
        final String id;
        final String hostname;
        final FakeLinks links;
        final WorldImds imds;
        final Path dir;
        final int index;
        NodeAgent agent;
        LabelLoop labels;
        /** Woken by a release in the zone: the agent's step is then due at once, as the daemon's loop does. */
        Wakeups wakeups;
        Instant agentDue;
        Instant labelsDue;
        /** The ENI's device while a pod has it. */
        volatile String podMac;
        boolean imdsLags;
        End end = End.NEVER;
        private int starts;

        Member(Zone zone, int index) {
            this.zone = zone;
            this.index = index;
            id = "i-" + (index + 1);
            links = new FakeLinks(zone.clock);
            Ec2World.Instance instance = zone.world.addInstance(id, ZONE, 4);
            instance.tags.put("eks:cluster-name", "prod");
            // A real detach takes the device from whoever has it: the host, or a pod.
            instance.hotPlug = new HotPlug() {
                @Override
                public void plugged(String mac, int deviceIndex) {
                    links.plugged(mac, deviceIndex);
                    ATTACHMENTS.incrementAndGet();
                }

                @Override
                public void unplugged(String mac) {
                    // On the world's transition thread, while an action may be moving the device into a pod.
                    synchronized (Member.this) {
                        links.unplugged(mac);
                        if (mac.equals(podMac)) {
                            podMac = null;
                        }
                    }
                }
            };
            hostname = instance.hostname;
            imds = new WorldImds(zone.world, id);
            zone.nodes.register(hostname, ZONE);
            dir = zone.dir.resolve(id);
        }

        Instant due() {
            if (agent == null) {
                return null;
            }
            try {
                if (wakeups.await(Duration.ZERO)) {
                    agentDue = zone.clock.instant();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return agentDue.isBefore(labelsDue) ? agentDue : labelsDue;
        }

        void runDue() {
            Instant now = zone.clock.instant();
            try {
                if (!agentDue.isAfter(now)) {
                    agentDue = now.plus(agent.step());
                } else {
                    labelsDue = now.plus(labels.step());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void start() {
            if (agent != null) {
                return;
            }
            ConfigBuilder b = new ConfigBuilder(dir);
            b.set(Settings.CLUSTER, "prod");
            b.set(Settings.BOOT_WAIT, "0s");
            b.set(Settings.INTERVAL, "10s");
            b.set(Settings.STANDBY_MIN, "2s");
            b.set(Settings.STANDBY_MAX, "10s");
            b.set(Settings.ATTACH_TIMEOUT, "5s");
            b.set(Settings.DETACH_TIMEOUT, "5s");
            Config c = b.build();
            Random random = new Random(index * 1000L + starts++);
            // The node's EC2 as it is, recording any attach of an ENI that EC2 already has attached to that instance.
            Ec2 ec2 = new WorldEc2(zone.world, false, (eniId, instanceId) -> {
                Ec2World.Attachment a = zone.world.eni(eniId).attachment;
                if (a != null && a.instanceId.equals(instanceId)) {
                    zone.doubleAttaches.add("AttachNetworkInterface " + eniId + " to " + instanceId
                            + ", where it is attached (" + a.id + ")");
                }
            });
            NodeContext node = NodeContext.resolve(c, imds, imds.identity(), ec2);
            List<EniReconciler> reconcilers = Reconcilers.of(ec2, imds, links, c, node, zone.clock, zone.clock,
                    random);
            Wakeups w = new Wakeups();
            LabelLoop l = LabelLoop.over(() -> zone.nodes, () -> "kubeconfig", c, node, reconcilers, w, zone.clock,
                    random);
            NodeAgent a = new NodeAgent(reconcilers, imds, Optional.of(l), c, zone.clock, zone.clock, random,
                    new Metrics(zone.clock), s -> { }, w);
            try {
                a.boot();
            } catch (RuntimeException failed) {
                return; // exit 1: systemd would start it again, as a later "start" does here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            agent = a;
            labels = l;
            wakeups = w;
            agentDue = zone.clock.instant();
            labelsDue = zone.clock.instant();
        }

        /** systemctl stop: the labels off (bounded), the ENI released, untagged. */
        void stop() {
            if (agent == null) {
                return;
            }
            boolean apiDown = zone.kubeDownUntil.isAfter(zone.clock.instant());
            try {
                agent.release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            labels.close();
            agent = null;
            end = apiDown ? End.STOPPED_API_DOWN : End.STOPPED;
        }

        /** kill -9, a crash, the power cut: everything stays as it was. */
        void kill() {
            if (agent == null) {
                return;
            }
            labels.close();
            agent = null;
            end = End.KILLED;
        }
    }
}
