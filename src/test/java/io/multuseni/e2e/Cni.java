package io.multuseni.e2e;

import io.multuseni.standin.Netns;
import io.multuseni.standin.NetnsHotPlug;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Multus' reference CNI plugins (Debian's containernetworking-plugins) run as a container runtime runs
 * the plugin list of the shipped NetworkAttachmentDefinition — {@code host-device} (device {@code multus},
 * {@code static} IPAM with the ENI's address and the gateway) then {@code sbr} — from the node's network
 * namespace, for a "pod" that is a network namespace of its own: ADD moves the ENI's interface into the
 * pod as {@code net1}, DEL gives it back under its host name, and a pod lost without DEL gives it back
 * as the kernel does.
 */
final class Cni {
    static final Path PLUGINS = Path.of("/usr/lib/cni");
    private final Netns node;
    private final Netns pod;
    private final String podInterface;
    private final String hostDevice;
    private final String sbr;
    private String result;

    /**
     * The shipped NetworkAttachmentDefinition for {@code device}, as the pod's {@code net1}.
     *
     * @param ip the ENI's private address, the pod's static IP (a /24 around it, the .1 as gateway)
     */
    Cni(Netns node, Netns pod, String device, String ip) {
        this(node, pod, "multus-eni-static", device, "net1", ip);
    }

    /**
     * One NetworkAttachmentDefinition of several a pod asks for: its own name, device and pod interface
     * ({@code net1}, {@code net2}, as Multus numbers them).
     */
    Cni(Netns node, Netns pod, String name, String device, String podInterface, String ip) {
        this.node = node;
        this.pod = pod;
        this.podInterface = podInterface;
        String net = ip.substring(0, ip.lastIndexOf('.'));
        this.hostDevice = "{\"cniVersion\": \"0.3.0\", \"name\": \"" + name + "\", \"type\": \"host-device\","
                + " \"device\": \"" + device + "\", \"ipam\": {\"type\": \"static\", \"addresses\": [{\"address\": \""
                + ip + "/24\", \"gateway\": \"" + net + ".1\"}]}}";
        this.sbr = "{\"cniVersion\": \"0.3.0\", \"name\": \"" + name + "\", \"type\": \"sbr\"%s}";
    }

    /** Why the plugins cannot run here, or empty when they can. */
    static Optional<String> unavailable() {
        return Stream.of("host-device", "static", "sbr").allMatch(p -> Files.isExecutable(PLUGINS.resolve(p)))
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
        String failed = tryDel();
        if (failed != null) {
            throw new AssertionError(failed);
        }
    }

    /**
     * DEL where it may fail (the pod's namespace or its interface already gone), as libcni runs it: the plugins in
     * reverse order, stopping at the first that fails. @return which failed and why, or null when none did
     */
    String tryDel() throws Exception {
        Path netns = Path.of("/run/netns", pod.name());
        boolean gone = !Files.exists(netns);
        Plugin sbrDel = plugin("DEL", "sbr", String.format(sbr, result == null ? "" : ", \"prevResult\": " + result));
        if (gone) {
            // sbr locks the namespace's path with a file it creates (O_CREAT) before it finds the namespace gone,
            // and leaves it: on a node, an empty file where the sandbox's namespace was; here, not ours to leave.
            Files.deleteIfExists(netns);
        }
        if (sbrDel.exit != 0) {
            return "sbr DEL failed: " + sbrDel.output;
        }
        Plugin hostDeviceDel = plugin("DEL", "host-device", hostDevice);
        return hostDeviceDel.exit == 0 ? null : "host-device DEL failed: " + hostDeviceDel.output;
    }

    /**
     * The pod's namespace is destroyed without a DEL (a reboot, a crashed or force-removed sandbox). Its veths
     * would die with it; a real ENA device does not: the kernel pushes every device that is not virtual back to
     * the host's namespace under the name it had in the pod, or {@code dev<ifindex>} where that name is taken
     * (net/core/dev.c, {@code default_device_exit_net}: "Push remaining network devices to init_net", with
     * {@code dev_change_net_namespace(dev, &init_net, "dev<ifindex>")}, which keeps the device's own name when it
     * is free). Each arrives down and without addresses. This does that to every device of the pod (here, the
     * veths that stand for ENA devices), each in one step as the kernel does, then removes the namespace.
     *
     * @return each device's name in the pod and the name it came back under
     */
    static Map<String, String> podNamespaceDestroyed(Netns node, Netns pod) {
        Map<String, String> back = new LinkedHashMap<>();
        Matcher link = Pattern.compile("(?m)^(\\d+): ([^:@]+)[:@]").matcher(pod.hotPlug().ip("-o", "link", "show")
                .output());
        while (link.find()) {
            String name = link.group(2);
            if (name.equals("lo")) {
                continue; // the kernel never moves loopback
            }
            String as = node.read("/sys/class/net/" + name + "/ifindex") == null ? name : "dev" + link.group(1);
            NetnsHotPlug.Run moved = pod.hotPlug().ip("link", "set", "dev", name, "netns", node.name(), "name", as);
            if (moved.exit() != 0) {
                throw new AssertionError("could not hand " + name + " back as " + as + ": " + moved.output());
            }
            back.put(name, as);
        }
        pod.close();
        return back;
    }

    private String run(String command, String plugin, String config) throws Exception {
        Plugin p = plugin(command, plugin, config);
        if (p.exit != 0) {
            throw new AssertionError(plugin + " " + command + " failed: " + p.output);
        }
        return p.stdout;
    }

    private record Plugin(int exit, String stdout, String output) {}

    private Plugin plugin(String command, String plugin, String config) throws Exception {
        Process p = node.start(List.of(PLUGINS.resolve(plugin).toString()), Map.of("CNI_COMMAND", command,
                "CNI_CONTAINERID", "multus-eni-e2e-" + pod.name(), "CNI_NETNS", "/run/netns/" + pod.name(),
                "CNI_IFNAME", podInterface, "CNI_PATH", PLUGINS.toString()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(config.getBytes(StandardCharsets.UTF_8));
        }
        String out = read(p.getInputStream().readAllBytes());
        String err = read(p.getErrorStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Plugin(-1, out, out + err + " (did not end within 30 s)");
        }
        return new Plugin(p.exitValue(), out, out + err);
    }

    private static String read(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
