package io.multuseni.bench;

import io.multuseni.agent.NodeAgent;
import io.multuseni.config.Settings;
import io.multuseni.standin.Ec2World;
import io.multuseni.testing.FakeNodes;
import io.multuseni.testing.SimNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fleet simulation (a benchmark, not a test): N nodes in 3 zones, one ENI per zone, each node
 * running the real reconcile code (NodeAgent, EniReconciler, LabelLoop) with the default intervals
 * on its own threads, against the stand-in's EC2 world with EC2-like token buckets. It stops holders
 * gracefully and kills them abruptly (the instance terminates: EC2 detaches, the Node goes), and prints
 * failover times, EC2 calls per second cluster-wide, throttled calls and any double attachment.
 *
 * <p>With a third argument of 2, every node runs two networks (the default one and {@code sig}), each with
 * its own ENI per zone, and the failover figures are given per network.
 *
 * <pre>test-infra/bench/fleet-sim 100 2 [1|2]</pre>
 */
public final class FleetSim {
    private static final List<String> ZONES = List.of("eu-west-2a", "eu-west-2b", "eu-west-2c");
    private static final long JOIN_SPACING_MILLIS = 50;

    /** A network as the fleet runs it: its id, its label, the tag value that selects its ENIs. */
    private record Net(String id, String label, String multusTag) {}

    private static final List<Net> NETWORKS = List.of(
            new Net("default", "cluster.custom.tags/multus-attached", "true"),
            new Net("sig", "cluster.custom.tags/multus-sig-attached", "sig"));
    private static final String SIG_SPEC = "sig=interface-name=multus-sig;eni-tag=multus=sig,cluster={cluster},"
            + "Zone={zone}";

    private FleetSim() {}

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Net> networks = NETWORKS.subList(0, args.length > 2 ? Integer.parseInt(args[2]) : 1);
        Ec2World world = new Ec2World("eu-west-2");
        // EC2's documented defaults for an account: describes 100 burst, 20/s; changing calls 200 burst, 5/s
        // (the attach/detach class is lower still in some regions; this is the common case).
        world.buckets().limit(100, 20, 200, 5);
        world.attachDelay(1000);
        world.detachDelay(1000);
        FakeNodes nodes = new FakeNodes(Clock.systemUTC());
        Path dir = Files.createTempDirectory("fleet-sim");
        Map<String, Net> enis = new java.util.LinkedHashMap<>(); // each ENI and its network
        for (Net net : networks) {
            for (String zone : ZONES) {
                enis.put(world.addEni(zone, Map.of("multus", net.multusTag(), "cluster", "prod", "Zone", zone,
                        "node.k8s.amazonaws.com/no_manage", "true")).id, net);
            }
        }
        List<SimNode> fleet = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String zone = ZONES.get(i % ZONES.size());
            fleet.add(new SimNode(world, nodes, String.format("i-%05d", i), zone, dir.resolve("n" + i), b -> {
                if (networks.size() > 1) {
                    b.networks(SIG_SPEC);
                }
            }));
        }
        long start = System.nanoTime();
        for (SimNode n : fleet) {
            n.start();
            Thread.sleep(JOIN_SPACING_MILLIS); // nodes join over time, as a scaling group brings them up
        }
        awaitHolders(fleet, world, enis, 120);
        System.out.printf("fleet-sim: %d nodes, 3 zones, %d network(s), 1 ENI per zone and network; all held %.1f s"
                + " after start%n", size, networks.size(), (System.nanoTime() - start) / 1e9);

        int describesBefore = world.calls("DescribeNetworkInterfaces");
        int callsBefore = world.totalCalls();
        Thread.sleep(30_000);
        System.out.printf("steady state (30 s, holders and standbys): %.2f DescribeNetworkInterfaces/s,"
                + " %d EC2 calls in all%n", (world.calls("DescribeNetworkInterfaces") - describesBefore) / 30.0,
                world.totalCalls() - callsBefore);

        Map<String, List<Double>> graceful = new java.util.LinkedHashMap<>();
        Map<String, List<Double>> abrupt = new java.util.LinkedHashMap<>();
        networks.forEach(n -> {
            graceful.put(n.id(), new ArrayList<>());
            abrupt.put(n.id(), new ArrayList<>());
        });
        int failoverDescribes = 0;
        long failoverNanos = 0;
        int doubles = 0;
        Random random = new Random(1);
        for (int round = 0; round < rounds; round++) {
            for (String eni : enis.keySet()) {
                Net net = enis.get(eni);
                for (boolean gracefully : new boolean[] {true, false}) {
                    SimNode holder = holderOf(fleet, world, eni);
                    int describes = world.calls("DescribeNetworkInterfaces");
                    long t0 = System.nanoTime();
                    if (gracefully) {
                        holder.end(true);
                    } else {
                        holder.end(false); // the daemon dies with the instance:
                        for (Ec2World.Eni e : world.attachedTo(holder.instance.id)) { // EC2 detaches its ENIs,
                            if (e.attachment.deviceIndex != 0) {
                                world.detach(e.attachment.id, true);
                            }
                        }
                        nodes.delete(holder.instance.hostname); // and the Node object goes
                    }
                    awaitNewHolder(fleet, world, eni, net, holder, 120);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    failoverNanos += System.nanoTime() - t0;
                    failoverDescribes += world.calls("DescribeNetworkInterfaces") - describes;
                    (gracefully ? graceful : abrupt).get(net.id()).add(seconds);
                    doubles += doubleAttachments(fleet, world, enis);
                    if (!gracefully) {
                        nodes.register(holder.instance.hostname, holder.instance.zone);
                    }
                    holder.start(); // back as a standby
                    Thread.sleep(2000 + random.nextInt(1000));
                }
            }
        }
        long wall = System.nanoTime() - start;
        List<Double> all = new ArrayList<>();
        for (Net net : networks) {
            String of = networks.size() == 1 ? "" : " [" + net.id() + "]";
            List<Double> g = graceful.get(net.id());
            List<Double> a = abrupt.get(net.id());
            System.out.printf("failover%s, graceful stop (%d): median %.2f s, p99 %.2f s%n", of, g.size(),
                    percentile(g, 50), percentile(g, 99));
            System.out.printf("failover%s, instance killed (%d): median %.2f s, p99 %.2f s%n", of, a.size(),
                    percentile(a, 50), percentile(a, 99));
            all.addAll(g);
            all.addAll(a);
        }
        System.out.printf("failover, all (%d): median %.2f s, p99 %.2f s%n", all.size(), percentile(all, 50),
                percentile(all, 99));
        System.out.printf("DescribeNetworkInterfaces during failovers: %.1f per failover, %.2f/s over their %.0f s%n",
                failoverDescribes / (double) all.size(), failoverDescribes / (failoverNanos / 1e9), failoverNanos / 1e9);
        System.out.printf("whole run (%.0f s): %.2f DescribeNetworkInterfaces/s, %.2f EC2 calls/s, %d throttled%n",
                wall / 1e9, world.calls("DescribeNetworkInterfaces") / (wall / 1e9), world.totalCalls() / (wall / 1e9),
                world.buckets().throttled());
        System.out.printf("double attachments or double holders seen: %d%n", doubles);
        System.exit(0);
    }

    private static SimNode holderOf(List<SimNode> fleet, Ec2World world, String eni) {
        Ec2World.Attachment a = world.eni(eni).attachment;
        return fleet.stream().filter(n -> a != null && n.instance.id.equals(a.instanceId)).findFirst().orElseThrow();
    }

    private static void awaitHolders(List<SimNode> fleet, Ec2World world, Map<String, Net> enis, int seconds)
            throws InterruptedException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until) {
            if (enis.entrySet().stream().allMatch(e -> labelledHolder(fleet, world, e.getKey(), e.getValue()) != null)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not every zone got a labelled holder within " + seconds + " s");
    }

    /** The node the ENI is attached to, once its interface is named and its Node labelled for the network. */
    private static SimNode labelledHolder(List<SimNode> fleet, Ec2World world, String eni, Net net) {
        Ec2World.Attachment a = world.eni(eni).attachment;
        if (a == null || !a.status.equals("attached")) {
            return null;
        }
        return fleet.stream().filter(n -> n.instance.id.equals(a.instanceId) && n.running() && n.labelled(net.label()))
                .findFirst().orElse(null);
    }

    private static SimNode awaitNewHolder(List<SimNode> fleet, Ec2World world, String eni, Net net, SimNode old,
                                          int seconds) throws InterruptedException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until) {
            SimNode n = labelledHolder(fleet, world, eni, net);
            if (n != null && n != old) {
                return n;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(eni + " got no new labelled holder within " + seconds + " s");
    }

    /** Any node with two ENIs of one network, or any zone with two holders of one network. */
    private static int doubleAttachments(List<SimNode> fleet, Ec2World world, Map<String, Net> enis) {
        int problems = 0;
        for (Net net : new java.util.LinkedHashSet<>(enis.values())) {
            for (SimNode n : fleet) {
                if (world.attachedTo(n.instance.id).stream().filter(e -> enis.get(e.id) == net).count() > 1) {
                    problems++;
                }
            }
            for (String zone : ZONES) {
                if (fleet.stream().filter(n -> n.instance.zone.equals(zone)
                        && n.role(net.id()) == NodeAgent.Role.HOLDER).count() > 1) {
                    problems++;
                }
            }
        }
        return problems;
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
