package io.multuseni.e2e;

import io.multuseni.standin.Netns;
import io.multuseni.standin.NetnsHotPlug;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Multus' reference CNI plugins (Debian's containernetworking-plugins) run as a container runtime runs the plugin
 * list of the shipped NetworkAttachmentDefinition ({@code docs/kubernetes/network-attachment-definitions.yaml}, read
 * from the file: {@code host-device} with device {@code multus} and {@code static} IPAM with the address, the gateway
 * and the route to the range behind the firewall) from the node's network namespace, for a "pod" that is a network
 * namespace of its own: ADD moves the ENI's interface into the pod as {@code net1}, DEL gives it back under its
 * host name, and a pod lost without DEL gives it back as the kernel does.
 */
final class Cni {
    static final Path PLUGINS = Path.of("/usr/lib/cni");
    static final Path SHIPPED = Path.of(System.getProperty("basedir", "."),
            "docs/kubernetes/network-attachment-definitions.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Netns node;
    private final Netns pod;
    private final String podInterface;
    private final List<ObjectNode> plugins = new ArrayList<>();
    private String result;

    /** The shipped NetworkAttachmentDefinition of the first zone, unchanged, as the pod's {@code net1}. */
    static Cni shipped(Netns node, Netns pod) throws Exception {
        return new Cni(node, pod, "net1", shippedConfig(0));
    }

    /**
     * The shipped NetworkAttachmentDefinition for {@code device}, as the pod's {@code net1}.
     *
     * @param ip the ENI's private address, the pod's static IP (a /24 around it, the .1 as gateway)
     */
    Cni(Netns node, Netns pod, String device, String ip) throws Exception {
        this(node, pod, "multus-eni-static", device, "net1", ip, routedRange(shippedConfig(0)));
    }

    /**
     * One NetworkAttachmentDefinition of several a pod asks for, shaped as the shipped one: its own name, device,
     * pod interface ({@code net1}, {@code net2}, as Multus numbers them), address and range behind its firewall.
     */
    Cni(Netns node, Netns pod, String name, String device, String podInterface, String ip, String behindFirewall)
            throws Exception {
        this(node, pod, podInterface, shaped(shippedConfig(0), name, device, ip, behindFirewall));
    }

    private Cni(Netns node, Netns pod, String podInterface, ObjectNode config) {
        this.node = node;
        this.pod = pod;
        this.podInterface = podInterface;
        for (var plugin : config.get("plugins")) {
            ObjectNode one = ((ObjectNode) plugin).deepCopy();
            one.put("cniVersion", config.get("cniVersion").asString());
            one.put("name", config.get("name").asString());
            plugins.add(one);
        }
    }

    /** The CNI config of the shipped NetworkAttachmentDefinition number {@code index}, named as Multus names it. */
    static ObjectNode shippedConfig(int index) throws Exception {
        List<JsonNode> nads = YAMLMapper.builder().build().readerFor(JsonNode.class).<JsonNode>readValues(
                Files.readString(SHIPPED)).readAll();
        ObjectNode config = (ObjectNode) JSON.readTree(nads.get(index).at("/spec/config").asString());
        config.put("name", nads.get(index).at("/metadata/name").asString());
        return config;
    }

    /** The one range the shipped NetworkAttachmentDefinition routes out of the pod's interface. */
    static String routedRange(ObjectNode config) {
        return config.at("/plugins/0/ipam/routes/0/dst").asString();
    }

    private static ObjectNode shaped(ObjectNode config, String name, String device, String ip, String routed) {
        String gateway = ip.substring(0, ip.lastIndexOf('.')) + ".1";
        config.put("name", name);
        ObjectNode hostDevice = (ObjectNode) config.get("plugins").get(0);
        hostDevice.put("device", device);
        ObjectNode address = (ObjectNode) hostDevice.at("/ipam/addresses/0");
        address.put("address", ip + "/24");
        address.put("gateway", gateway);
        ObjectNode route = (ObjectNode) hostDevice.at("/ipam/routes/0");
        route.put("dst", routed);
        route.put("gw", gateway);
        return config;
    }

    /** Why the plugins cannot run here, or empty when they can. */
    static Optional<String> unavailable() {
        return Stream.of("host-device", "static").allMatch(p -> Files.isExecutable(PLUGINS.resolve(p)))
                ? Optional.empty()
                : Optional.of("needs Multus' reference CNI plugins in " + PLUGINS
                        + " (apt-get install -y containernetworking-plugins)");
    }

    /** The pod starts: each plugin of the list in order, each after the first given the result so far. */
    String add() throws Exception {
        result = null;
        for (ObjectNode plugin : plugins) {
            result = run("ADD", plugin);
        }
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
        for (int i = plugins.size() - 1; i >= 0; i--) {
            Plugin del = plugin("DEL", withPrevResult(plugins.get(i), i));
            if (del.exit != 0) {
                return plugins.get(i).get("type").asString() + " DEL failed: " + del.output;
            }
        }
        return null;
    }

    private String withPrevResult(ObjectNode plugin, int index) throws Exception {
        ObjectNode config = plugin.deepCopy();
        if (index > 0 && result != null) {
            config.set("prevResult", JSON.readTree(result));
        }
        return JSON.writeValueAsString(config);
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

    private String run(String command, ObjectNode plugin) throws Exception {
        Plugin p = plugin(command, withPrevResult(plugin, plugins.indexOf(plugin)));
        if (p.exit != 0) {
            throw new AssertionError(plugin.get("type").asString() + " " + command + " failed: " + p.output);
        }
        return p.stdout;
    }

    private record Plugin(int exit, String stdout, String output) {}

    private Plugin plugin(String command, String config) throws Exception {
        String type = JSON.readTree(config).get("type").asString();
        Process p = node.start(List.of(PLUGINS.resolve(type).toString()), Map.of("CNI_COMMAND", command,
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
