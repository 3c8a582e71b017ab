package io.multuseni.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multuseni.standin.Ec2Server;
import io.multuseni.standin.Ec2World;
import io.multuseni.standin.ImdsServer;
import io.multuseni.standin.MockApiServer;
import io.multuseni.standin.NetnsHotPlug;
import io.multuseni.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Failover in a big zone: the real jar twice, holder and standby, as separate processes under the unit's JVM
 * options, against the EC2 and IMDS stand-ins and fabric8's mock API server holding NODES other Nodes of the zone,
 * each about the size of a real one (~10 KB: images, conditions, labels). Prints, per zone size, the standby's
 * resident memory once it watches the zone, and the time from the holder's SIGTERM to the standby holding the ENI.
 * Run in a network namespace of its own (test-infra/bench/big-zone does), where the ENI's interface appears.
 *
 * <p>{@code BigZone NETNS JAR NODES...}; the JVM options come from the environment's {@code BIG_ZONE_JVM_OPTS}.
 */
public final class BigZone {
    private static final String ZONE = "eu-west-2a";

    public static void main(String[] args) throws Exception {
        String netns = args[0];
        Path jar = Path.of(args[1]);
        List<String> jvm = List.of(System.getenv().getOrDefault("BIG_ZONE_JVM_OPTS", "").trim().split("\\s+"));
        for (int i = 2; i < args.length; i++) {
            int others = Integer.parseInt(args[i]);
            System.out.println(run(netns, jar, jvm, others));
        }
        System.exit(0);
    }

    private static String run(String netns, Path jar, List<String> jvm, int others) throws Exception {
        Path work = Files.createTempDirectory("big-zone");
        Ec2World world = new Ec2World("eu-west-2");
        world.attachDelay(500);
        world.latency(40);
        Ec2World.Instance holder = instance(world, "i-0000000000000a001", netns);
        Ec2World.Instance standby = instance(world, "i-0000000000000a002", netns);
        Ec2World.Eni eni = world.addEni(ZONE, Map.of("multus", "true", "cluster", "bench", "Zone", ZONE,
                "node.k8s.amazonaws.com/no_manage", "true"));
        List<Process> started = new ArrayList<>();
        try (Ec2Server ec2 = new Ec2Server(world, 0);
             ImdsServer holderImds = new ImdsServer(world.metadataOf(holder.id), 0);
             ImdsServer standbyImds = new ImdsServer(world.metadataOf(standby.id), 0);
             MockApiServer api = new MockApiServer(0, change -> { })) {
            try (KubernetesClient client = api.newClient()) {
                for (int n = 0; n < others; n++) {
                    client.nodes().resource(realisticNode("ip-10-1-" + n / 250 + "-" + n % 250 + ".eu-west-2"
                            + ".compute.internal")).create();
                }
            }
            api.registerNode(holder.hostname, ZONE);
            api.registerNode(standby.hostname, ZONE);
            Path kubeconfig = MockApiServer.kubeconfig(work.resolve("kubeconfig"), api.port());

            Process holding = daemon(jar, jvm, work.resolve("holder"), ec2.endpoint().toString(), holderImds.endpoint().toString(),
                    kubeconfig, started);
            await(() -> "true".equals(api.labels(holder.hostname).get("cluster.custom.tags/multus-attached")), 120,
                    "the holder to hold and label");
            Process standing = daemon(jar, jvm, work.resolve("standby"), ec2.endpoint().toString(), standbyImds.endpoint().toString(),
                    kubeconfig, started);
            Path state = work.resolve("standby/state/daemon.json");
            await(() -> Files.exists(state) && Files.readString(state).contains("\"role\": \"standby\""), 120,
                    "the standby to stand by");
            Thread.sleep(15_000); // its zone watch listed, the JVM settled
            if (!standing.isAlive()) {
                return String.format("%5d other Nodes in the zone: the standby died (exit %d) before the failover: %s"
                        + " (its log: %s)", others, standing.exitValue(), firstError(work.resolve("standby/log")),
                        work.resolve("standby/log"));
            }
            long rss = rssKib(standing.pid());

            long stop = System.nanoTime();
            holding.destroy(); // SIGTERM, as systemd stops the unit
            await(() -> eni.attachment != null && eni.attachment.instanceId.equals(standby.id)
                    && "attached".equals(eni.attachment.status), 600, "the standby to take the ENI");
            double failover = (System.nanoTime() - stop) / 1e9;
            holding.waitFor(60, TimeUnit.SECONDS);
            Trees.delete(work); // kept only where something went wrong, for its logs
            return String.format("%5d other Nodes in the zone: standby RSS %.0f MiB; failover (holder SIGTERM to the"
                    + " standby's attachment attached) %.1f s", others, rss / 1024.0, failover);
        } finally {
            for (Process p : started) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            world.close();
        }
    }

    private static Ec2World.Instance instance(Ec2World world, String id, String netns) {
        Ec2World.Instance instance = world.addInstance(id, ZONE, 4);
        instance.tags.put("eks:cluster-name", "bench");
        instance.hotPlug = new NetnsHotPlug(netns);
        return instance;
    }

    /** The jar's {@code run}, as the unit starts it, with its own state and network files; stderr is its log. */
    private static Process daemon(Path jar, List<String> jvm, Path dir, String ec2, String imds, Path kubeconfig,
                                  List<Process> started) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of("java"));
        jvm.stream().filter(o -> !o.isEmpty()).forEach(command::add);
        command.addAll(List.of("-jar", jar.toString(), "run"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile());
        Map<String, String> env = pb.environment();
        env.put("MULTUS_ENI_CONFIG", "/nonexistent");
        env.put("MULTUS_ENI_STATE_DIR", dir.resolve("state").toString());
        env.put("MULTUS_ENI_NETWORK_CONFIG_DIR", dir.resolve("network").toString());
        env.put("MULTUS_ENI_NODEADM_CACHE_DIR", dir.resolve("nodeadm").toString());
        env.put("MULTUS_ENI_CNI_CONF_DIR", dir.resolve("net.d").toString());
        env.put("MULTUS_ENI_KUBECONFIG", kubeconfig.toString());
        env.put("AWS_ENDPOINT_URL_EC2", ec2);
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds);
        env.put("AWS_ACCESS_KEY_ID", "bench");
        env.put("AWS_SECRET_ACCESS_KEY", "bench");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** A Node as kubelet keeps it on a busy node: ~10 KB of JSON, most of it the images it has pulled. */
    static Node realisticNode(String name) {
        var b = new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("topology.kubernetes.io/zone", ZONE)
                .addToLabels("topology.kubernetes.io/region", "eu-west-2")
                .addToLabels("node.kubernetes.io/instance-type", "m5.xlarge")
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("eks.amazonaws.com/nodegroup", "general")
                .addToLabels("eks.amazonaws.com/capacityType", "ON_DEMAND")
                .addToAnnotations("alpha.kubernetes.io/provided-node-ip", "10.1.0.1")
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                .endMetadata().withNewSpec().withProviderID("aws:///" + ZONE + "/i-0" + name.hashCode()).endSpec()
                .withNewStatus();
        for (int i = 0; i < 40; i++) {
            b.addNewImage().withNames("602401143452.dkr.ecr.eu-west-2.amazonaws.com/workload-" + i
                    + "@sha256:" + "0123456789abcdef".repeat(4), "602401143452.dkr.ecr.eu-west-2.amazonaws.com/"
                    + "workload-" + i + ":v1." + i).withSizeBytes(123_456_789L + i).endImage();
        }
        for (String c : List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready")) {
            b.addNewCondition().withType(c).withStatus(c.equals("Ready") ? "True" : "False")
                    .withReason("Kubelet" + c).withMessage("kubelet has no " + c.toLowerCase() + " and is posting"
                            + " ready status").withLastHeartbeatTime("2026-12-02T10:00:00Z")
                    .withLastTransitionTime("2026-12-01T10:00:00Z").endCondition();
        }
        return b.addNewAddress().withType("InternalIP").withAddress("10.1.0.1").endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.33.5-eks-1234567").withContainerRuntimeVersion(
                        "containerd://1.7.27").withOsImage("Amazon Linux 2023.9.20251110").withKernelVersion(
                        "6.12.46-66.121.amzn2023.x86_64").withArchitecture("amd64").withOperatingSystem("linux")
                .endNodeInfo().endStatus().build();
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    private static void await(Condition condition, int seconds, String what) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.met()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String firstError(Path log) throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("Error") || l.contains(" ERROR ")).findFirst().orElse("no error logged");
        }
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private BigZone() {
    }
}
