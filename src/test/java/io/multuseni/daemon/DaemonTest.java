package io.multuseni.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.config.Config;
import io.multuseni.config.Settings;
import io.multuseni.eni.EniReconciler;
import io.multuseni.labels.LabelLoop;
import io.multuseni.metrics.Metrics;
import io.multuseni.node.NodeContext;
import io.multuseni.node.Sleeper;
import io.multuseni.node.Wakeups;
import io.multuseni.standin.Ec2World;
import io.multuseni.testing.Await;
import io.multuseni.testing.ConfigBuilder;
import io.multuseni.testing.FakeLinks;
import io.multuseni.testing.FakeNodes;
import io.multuseni.testing.InstantWorld;
import io.multuseni.testing.Reconcilers;
import io.multuseni.testing.WorldEc2;
import io.multuseni.testing.WorldImds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's life (boot, reload, stop) with the in-memory fakes of every edge wired as production wires them. */
class DaemonTest {
    private static final String ZONE = "eu-west-2a";
    private static final String LABEL = "cluster.custom.tags/multus-attached";

    @TempDir
    Path tmp;

    private final FakeLinks links = new FakeLinks(Clock.systemUTC());
    private final FakeNodes nodes = new FakeNodes(Clock.systemUTC());
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final Wakeups wakeups = new Wakeups();
    private Ec2World world;
    private Ec2World.Instance me;
    private WorldImds imds;
    private Thread running;
    /** What systemd's job says at the stop: a restart, or not. */
    private volatile boolean restarting;

    @BeforeEach
    void setUp() {
        world = InstantWorld.create();
        me = InstantWorld.thisNode(world, ZONE, links);
        imds = new WorldImds(world, "i-1");
        nodes.register(me.hostname, ZONE);
        world.addEni(ZONE, Map.of("multus", "true", "cluster", "prod", "Zone", ZONE));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (running != null) {
            running.interrupt();
            running.join(10_000);
        }
        world.close();
    }

    private Config config(String interval) {
        ConfigBuilder b = new ConfigBuilder(tmp);
        b.set(Settings.INTERVAL, interval);
        return b.build();
    }

    /** What Session.open wires, with the fakes in place of the SDK clients, sysfs and fabric8. */
    private Session session(Config c) {
        WorldEc2 ec2 = new WorldEc2(world, false);
        NodeContext node = NodeContext.resolve(c, imds, imds.identity(), ec2);
        List<EniReconciler> reconcilers = Reconcilers.of(ec2, imds, links, c, node, Clock.systemUTC(), Sleeper.REAL,
                new Random());
        LabelLoop labels = LabelLoop.over(() -> nodes, () -> "kubeconfig", c, node, reconcilers, wakeups,
                Clock.systemUTC(), new Random());
        return new Session(imds, () -> {}, node, reconcilers, Optional.of(labels), new Metrics(Clock.systemUTC()));
    }

    private Daemon start(Config first, AtomicReference<Config> current) {
        Daemon daemon = new Daemon(first, session(first), current::get, this::session, wakeups, Map.of(), notes::add,
                () -> restarting, stopRequested);
        running = new Thread(() -> {
            try {
                daemon.run();
            } catch (Exception e) {
                notes.add("failed: " + e);
            }
        }, "daemon-under-test");
        running.start();
        return daemon;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(10), condition);
    }

    private long readies() {
        synchronized (notes) {
            return notes.stream().filter(n -> n.startsWith("READY=1")).count();
        }
    }

    @Test
    void aReloadThatChangesOnlyTheIntervalNeverTouchesTheLabel() throws Exception {
        Config first = config("1s");
        AtomicReference<Config> current = new AtomicReference<>(first);
        Daemon daemon = start(first, current);
        await("labelled", () -> "true".equals(nodes.labelsOf(me.hostname).get(LABEL)));

        current.set(config("2s"));
        daemon.requestReload();
        await("READY after the reload", () -> readies() == 2);
        Thread.sleep(2500); // a pass of the new label loop, and checks of the new agent

        assertThat(notes).anyMatch(n -> n.startsWith("RELOADING=1"));
        assertThat(nodes.labelsOf(me.hostname)).containsEntry(LABEL, "true");
        assertThat(nodes.calls()).as("the API server never saw the label removed").noneMatch(c -> c.startsWith("unlabel"));
        assertThat(world.calls("AttachNetworkInterface")).isEqualTo(1);
        assertThat(world.mutations()).noneMatch(m -> m.startsWith("Detach"));

        stop();
        assertThat(nodes.labelsOf(me.hostname)).doesNotContainKey(LABEL);
        assertThat(world.mutations()).anyMatch(m -> m.startsWith("DetachNetworkInterface"));
    }

    private void stop() throws InterruptedException {
        stopRequested.set(true);
        running.interrupt();
        running.join(10_000);
    }

    @Test
    void aRestartLeavesTheEniTheTagAndTheLabelForTheNextProcessWhichAdoptsThem() throws Exception {
        Config config = config("1s");
        AtomicReference<Config> current = new AtomicReference<>(config);
        start(config, current);
        await("labelled", () -> "true".equals(nodes.labelsOf(me.hostname).get(LABEL)));
        String attachment = world.attachedTo("i-1").get(0).attachment.id;

        restarting = true;
        stop();

        assertThat(notes).anyMatch(n -> n.startsWith("STOPPING=1") && n.contains("restarting: keeping the ENI"));
        assertThat(world.mutations()).noneMatch(m -> m.startsWith("Detach") || m.startsWith("DeleteTags"));
        assertThat(nodes.calls()).noneMatch(c -> c.startsWith("unlabel"));

        restarting = false;
        stopRequested.set(false);
        notes.clear();
        start(config, current);
        await("READY", () -> readies() == 1);

        assertThat(notes).anyMatch(n -> n.contains("holding "));
        assertThat(world.calls("AttachNetworkInterface")).isEqualTo(1);
        assertThat(world.attachedTo("i-1").get(0).attachment.id).isEqualTo(attachment);
        assertThat(me.tags).containsEntry("multus-network-attached", "true");

        stop();
        assertThat(world.mutations()).anyMatch(m -> m.startsWith("DetachNetworkInterface"));
        assertThat(nodes.labelsOf(me.hostname)).doesNotContainKey(LABEL);
    }
}
