package io.multuseni.e2e;

import io.multuseni.standin.Netns;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Multus' reference CNI plugins (Debian's containernetworking-plugins) run as a container runtime runs
 * the plugin list of the seed's NetworkAttachmentDefinition — {@code host-device} (device {@code multus},
 * {@code host-local} IPAM with the ENI's static address) then {@code sbr} — from the node's network
 * namespace, for a "pod" that is a network namespace of its own: ADD moves the ENI's interface into the
 * pod as {@code net1}, DEL gives it back under its host name.
 */
final class Cni {
    static final Path PLUGINS = Path.of("/usr/lib/cni");
    private static final String CONTAINER_ID = "multus-eni-e2e-pod";

    private final Netns node;
    private final Netns pod;
    private final String podInterface;
    private final String hostDevice;
    private final String sbr;
    private String result;

    /**
     * The seed's NetworkAttachmentDefinition for {@code device}, as the pod's {@code net1}.
     *
     * @param ip the ENI's private address, the pod's static IP (a /24 around it, the .1 as gateway)
     * @param dataDir where host-local keeps its leases: the test's own temporary directory
     */
    Cni(Netns node, Netns pod, String device, String ip, Path dataDir) {
        this(node, pod, "multus-eni-static", device, "net1", ip, dataDir);
    }

    /**
     * One NetworkAttachmentDefinition of several a pod asks for: its own name, device and pod interface
     * ({@code net1}, {@code net2}, as Multus numbers them).
     */
    Cni(Netns node, Netns pod, String name, String device, String podInterface, String ip, Path dataDir) {
        this.node = node;
        this.pod = pod;
        this.podInterface = podInterface;
        String net = ip.substring(0, ip.lastIndexOf('.'));
        this.hostDevice = "{\"cniVersion\": \"0.3.0\", \"name\": \"" + name + "\", \"type\": \"host-device\","
                + " \"device\": \"" + device + "\", \"ipam\": {\"type\": \"host-local\", \"subnet\": \"" + net
                + ".0/24\", \"rangeStart\": \"" + ip + "\", \"rangeEnd\": \"" + ip + "\", \"gateway\": \"" + net
                + ".1\", \"dataDir\": \"" + dataDir + "\"}}";
        this.sbr = "{\"cniVersion\": \"0.3.0\", \"name\": \"" + name + "\", \"type\": \"sbr\"%s}";
    }

    /** Why the plugins cannot run here, or empty when they can. */
    static Optional<String> unavailable() {
        return Files.isExecutable(PLUGINS.resolve("host-device")) && Files.isExecutable(PLUGINS.resolve("sbr"))
                ? Optional.empty()
                : Optional.of("needs Multus' reference CNI plugins in " + PLUGINS
                        + " (apt-get install -y containernetworking-plugins)");
    }

    /** The pod starts: host-device, then sbr with host-device's result. @return host-device's result */
    String add() throws Exception {
        result = run("ADD", "host-device", hostDevice);
        run("ADD", "sbr", String.format(sbr, ", \"prevResult\": " + result));
        return result;
    }

    /** The pod goes: the plugins' DEL in reverse order. */
    void del() throws Exception {
        run("DEL", "sbr", String.format(sbr, result == null ? "" : ", \"prevResult\": " + result));
        run("DEL", "host-device", hostDevice);
    }

    private String run(String command, String plugin, String config) throws Exception {
        Process p = node.start(List.of(PLUGINS.resolve(plugin).toString()), Map.of("CNI_COMMAND", command,
                "CNI_CONTAINERID", CONTAINER_ID, "CNI_NETNS", "/run/netns/" + pod.name(), "CNI_IFNAME", podInterface,
                "CNI_PATH", PLUGINS.toString()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(config.getBytes(StandardCharsets.UTF_8));
        }
        String out = read(p.getInputStream().readAllBytes());
        String err = read(p.getErrorStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(plugin + " " + command + " failed: " + out + err);
        }
        return out;
    }

    private static String read(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
