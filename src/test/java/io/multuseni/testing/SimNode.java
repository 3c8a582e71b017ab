package io.multuseni.testing;

import io.multuseni.agent.NodeAgent;
import io.multuseni.config.Config;
import io.multuseni.config.Settings;
import io.multuseni.eni.EniReconciler;
import io.multuseni.labels.LabelLoop;
import io.multuseni.metrics.Metrics;
import io.multuseni.node.NodeContext;
import io.multuseni.node.Sleeper;
import io.multuseni.node.Wakeups;
import io.multuseni.standin.Ec2World;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A simulated node for soak tests and the fleet simulation: an instance of the EC2 world with its own
 * interfaces and IMDS, registered as a Node, on which the real reconcile code (EniReconciler, LabelLoop,
 * NodeAgent) runs on a thread of its own — started, stopped gracefully, or killed.
 */
public final class SimNode {
    public static final String LABEL = "cluster.custom.tags/multus-attached";
    private static final long RESTART_AFTER_MILLIS = 5000;

    public final Ec2World.Instance instance;
    public final FakeLinks links = new FakeLinks(Clock.systemUTC());
    private final Ec2World world;
    private final FakeNodes nodes;
    private final WorldImds imds;
    private final Path dir;
    private final Consumer<ConfigBuilder> settings;
    private List<EniReconciler> reconcilers;
    private LabelLoop labels;
    private volatile NodeAgent agent;
    private Thread loop;

    /** @param settings adjusts the configuration (intervals, waits) before each start */
    public SimNode(Ec2World world, FakeNodes nodes, String id, String zone, Path dir, Consumer<ConfigBuilder> settings) {
        this.world = world;
        this.nodes = nodes;
        this.dir = dir;
        this.settings = settings;
        instance = world.addInstance(id, zone, 4);
        instance.tags.put("eks:cluster-name", "prod");
        instance.hotPlug = links;
        imds = new WorldImds(world, id);
        nodes.register(instance.hostname, zone);
    }

    public boolean running() {
        return loop != null;
    }

    public NodeAgent.Role role() {
        NodeAgent a = agent;
        return a == null ? null : a.role();
    }

    /** The role for one network, by its id; null while the daemon does not run. */
    public NodeAgent.Role role(String network) {
        NodeAgent a = agent;
        return a == null ? null : a.role(network);
    }

    public boolean labelled() {
        return labelled(LABEL);
    }

    public boolean labelled(String label) {
        return "true".equals(nodes.labelsOf(instance.hostname).get(label));
    }

    public void start() {
        ConfigBuilder b = new ConfigBuilder(dir);
        b.set(Settings.BOOT_WAIT, "0s");
        b.set(Settings.CLUSTER, "prod");
        settings.accept(b);
        Config c = b.build();
        WorldEc2 ec2 = new WorldEc2(world, false);
        NodeContext node = NodeContext.resolve(c, imds, imds.identity(), ec2);
        reconcilers = Reconcilers.of(ec2, imds, links, c, node, Clock.systemUTC(), Sleeper.REAL, new Random());
        Wakeups wakeups = new Wakeups();
        labels = LabelLoop.over(() -> nodes, () -> "kubeconfig", c, node, reconcilers, wakeups, Clock.systemUTC(),
                new Random());
        NodeAgent a = new NodeAgent(reconcilers, imds, Optional.of(labels), c, Clock.systemUTC(), Sleeper.REAL, new Random(),
                new Metrics(Clock.systemUTC()), s -> {}, wakeups);
        agent = a;
        loop = new Thread(() -> {
            try {
                while (true) {
                    try {
                        a.boot();
                        break;
                    } catch (RuntimeException failed) {
                        // The daemon exits 1 and systemd restarts it (RestartSec=5).
                        Thread.sleep(RESTART_AFTER_MILLIS);
                    }
                }
                labels.start();
                while (true) {
                    wakeups.await(a.step());
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // An EC2 call cut short by the stop: as in the daemon, the stop path cleans up (or, killed, does not).
            }
        }, "sim-" + instance.id);
        loop.setDaemon(true);
        loop.start();
    }

    /** The daemon ends: graceful unlabels and releases as its stop does; a kill leaves everything as it is. */
    public void end(boolean graceful) throws InterruptedException {
        loop.interrupt();
        loop.join(10_000);
        loop = null;
        NodeAgent a = agent;
        agent = null;
        if (graceful) {
            Thread.interrupted();
            a.release();
        } else {
            labels.close();
        }
    }
}
