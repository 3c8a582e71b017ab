package io.multuseni.e2e;

import io.multuseni.environment.Environment;
import io.multuseni.environment.Instance;
import io.multuseni.standin.Netns;
import io.multuseni.standin.NetnsHotPlug;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One simulated EKS node: an instance of an {@link Environment} whose network namespace is a real
 * one, where the shaded jar runs as a process and attached ENIs appear as real interfaces.
 */
final class Node implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("basedir", "."), "target", "multus-eni.jar");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    final Instance instance;
    final Netns ns;
    final NetnsHotPlug hotPlug;
    final Path dir;
    final Map<String, String> env = new LinkedHashMap<>();
    /** What the jar runs under on this node, e.g. {@code setpriv --bounding-set -dac_override}: none by default. */
    final List<String> launcher = new ArrayList<>();
    /**
     * How the jar inherits SIGHUP ({@code env}'s option): at its default, whatever the suite's own caller ignores (a
     * suite started under {@code nohup} passes all the same); {@code --ignore-signal=HUP} starts it as nohup would.
     */
    String sighup = "--default-signal=HUP";

    /** The Node name kubelet would register: the instance's private DNS name. */
    String nodeName() {
        return instance.hostname();
    }

    /** A new instance of the environment in the zone, whose namespace reaches EC2, IMDS and the API server. */
    Node(Environment backends, String zone, Path dir) {
        this.instance = backends.instance(zone, "prod");
        this.ns = Netns.create();
        this.hotPlug = ns.hotPlug();
        this.dir = dir;
        instance.hotPlug(hotPlug);
        ns.bridge(backends.ec2Endpoint().getPort());
        ns.bridge(instance.imds().endpoint().getPort());
        ns.bridge(backends.apiPort()); // the API server may start later, or never
        env.putAll(backends.awsEnv(instance));
        env.put("MULTUS_ENI_CONFIG", dir.resolve("multus-eni.conf").toString());
        env.put("MULTUS_ENI_STATE_DIR", dir.resolve("state").toString());
        env.put("MULTUS_ENI_NETWORK_CONFIG_DIR", dir.resolve("network").toString());
        env.put("MULTUS_ENI_KUBECONFIG", backends.kubeconfig(dir.resolve("kubeconfig")).toString());
        env.put("MULTUS_ENI_INTERVAL", "1s");
    }

    /** Every jar process started on this node, in order: destroyed when the node closes, logs for a failed test. */
    private final List<Launch> launched = new CopyOnWriteArrayList<>();

    private record Launch(List<String> args, Running running) {}

    record Result(int exit, String out, String err) {}

    /**
     * A running jar process with its output gathered in the background. Closing it kills it if it still runs,
     * so a test that fails half way leaves nothing behind.
     */
    record Running(Process process, CompletableFuture<String> out, CompletableFuture<String> err)
            implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }

        Result await(long seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                close();
                throw new AssertionError("multus-eni did not exit within " + seconds + " s; stderr:\n"
                        + err.get(5, TimeUnit.SECONDS));
            }
            return new Result(process.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        }
    }

    Running start(Map<String, String> extraEnv, String... args) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putAll(extraEnv);
        List<String> command = new ArrayList<>(launcher);
        command.addAll(jarCommand(sighup, args));
        Process p = ns.start(command, all);
        Running running = new Running(p, gather(p.getInputStream()), gather(p.getErrorStream()));
        launched.add(new Launch(List.of(args), running));
        return running;
    }

    /**
     * The jar in this machine's own network namespace, with exactly this environment: for what needs no
     * interfaces (logging, an abstract notify socket, which lives in the network namespace of its binder).
     */
    static Running startOnHost(Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(jarCommand("--default-signal=HUP", args));
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MULTUS_ENI_")
                || k.equals("NOTIFY_SOCKET") || k.equals("JOURNAL_STREAM"));
        pb.environment().putAll(env);
        Process p = pb.start();
        return new Running(p, gather(p.getInputStream()), gather(p.getErrorStream()));
    }

    private static List<String> jarCommand(String sighup, String... args) {
        List<String> command = new ArrayList<>(List.of("env", sighup, JAVA, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    Result run(String... args) throws Exception {
        return start(Map.of(), args).await(120);
    }

    /** The MAC of the named interface as the node sees it, or null when there is none. */
    String macOf(String interfaceName) {
        return ns.read("/sys/class/net/" + interfaceName + "/address");
    }

    private static CompletableFuture<String> gather(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * What each jar process started here said on stderr (its log), with its command line and how it ended; for a
     * failed test's report, once the node is closed and every process has ended.
     */
    String logs() {
        StringBuilder out = new StringBuilder();
        for (Launch launch : launched) {
            Process p = launch.running().process();
            out.append("---- multus-eni ").append(String.join(" ", launch.args())).append(" (pid ").append(p.pid())
                    .append(p.isAlive() ? ", still running" : ", exit " + p.exitValue()).append(") ----\n");
            try {
                out.append(launch.running().err().get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                out.append("(its output could not be read: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    /** Kills what still runs here (a test that failed before stopping its daemons), then removes the namespace. */
    @Override
    public void close() {
        try {
            for (Launch launch : launched) {
                launch.running().close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ns.close();
        }
    }
}
