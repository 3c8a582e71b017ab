package io.multuseni.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multuseni.environment.Backend;
import io.multuseni.environment.Environment;
import io.multuseni.environment.Scenarios;
import io.multuseni.standin.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unit under a real systemd 252 as PID 1 ({@link SystemdMachine}), the project's tarball installed as
 * a user would, against our stand-ins: what systemd itself sees of start, READY, kubelet's ordering,
 * reload, restart, a kill, stop and shutdown, the watchdog, journald's priorities, the sandbox's exposure,
 * and udev's verdict on the {@code .link} file. Needs root; skipped with the reason otherwise.
 */
class RealSystemdIT extends Scenarios {
    private static final String ZONE = "eu-west-2a";
    private static final Map<String, String> OUR_TAGS = Map.of("multus", "true", "cluster", "prod", "Zone", ZONE);
    private static final String LABEL = "cluster.custom.tags/multus-attached";
    private static final String UNIT = "multus-eni.service";
    /** Pinged every half of it: short enough to see it advance within a test. */
    private static final List<String> SETTINGS = List.of("Environment=MULTUS_ENI_INTERVAL=2s", "WatchdogSec=4s");

    @TempDir
    Path tmp;

    RealSystemdIT() {
        super(Backend.STAND_IN);
    }

    @BeforeAll
    static void needsRootAndSystemd() {
        Optional<String> why = Netns.unavailable().or(SystemdMachine::unavailable);
        assumeTrue(why.isEmpty(), () -> "real-systemd tier skipped: " + why.orElse(""));
        assertThat(Node.JAR).as("the shaded jar (mvn package)").exists();
    }

    private SystemdMachine machine(Node node) throws Exception {
        SystemdMachine machine = new SystemdMachine(node, Files.createDirectories(tmp.resolve("machine")), SETTINGS);
        env.closeWith(machine);
        return machine;
    }

    private Node node() throws Exception {
        Node node = new Node(env, ZONE, Files.createDirectories(tmp.resolve("node")));
        env.closeWith(node);
        return node;
    }

    private Environment.Attachment attachmentOf(Environment.Eni eni) {
        return env.eni(eni.id()).attachment().orElseThrow();
    }

    private static long monotonic(SystemdMachine machine, String unit, String property) throws Exception {
        return Long.parseLong(machine.show(unit, property));
    }

    /** The journal of the unit, one JSON object a line. */
    private static List<String> journal(SystemdMachine machine) throws Exception {
        return machine.exec("journalctl", "-u", UNIT, "-o", "json", "--no-pager").lines().toList();
    }

    private static void assertPriority(List<String> journal, String message, int priority) {
        assertThat(journal).as("a journal line with '" + message + "' at PRIORITY " + priority)
                .anyMatch(l -> l.contains(message) && l.contains("\"PRIORITY\":\"" + priority + "\""));
    }

    private void awaitEni(Environment.Eni eni, String status, Duration timeout) throws InterruptedException {
        env.awaitEni(eni.id(), status, timeout);
    }

    @Test
    void aNodeUnderSystemdHoldsTheEniAcrossReloadRestartAndKillAndReleasesItOnStopAndShutdown() throws Exception {
        Node node = node();
        Environment.Eni eni = env.addEni(ZONE, OUR_TAGS); // without no_manage=true: one warning to see
        env.registerNode(node.nodeName(), ZONE);
        SystemdMachine machine = machine(node);
        machine.boot();

        // Boot: active, holding, named; kubelet only after READY; /run/systemd/network made by tmpfiles.d.
        machine.awaitProperty(UNIT, "ActiveState", "active", Duration.ofSeconds(60));
        assertThat(machine.show(UNIT, "StatusText")).isEqualTo("holding " + eni.id() + " as multus");
        assertThat(node.macOf("multus")).isEqualTo(eni.mac());
        long ready = monotonic(machine, UNIT, "ActiveEnterTimestampMonotonic");
        long started = monotonic(machine, UNIT, "ExecMainStartTimestampMonotonic");
        long kubelet = monotonic(machine, "kubelet.service", "ExecMainStartTimestampMonotonic");
        assertThat(kubelet).as("kubelet starts after READY").isGreaterThanOrEqualTo(ready);
        System.out.printf("real systemd: start -> READY %d ms, READY -> kubelet %d ms%n", (ready - started) / 1000,
                (kubelet - ready) / 1000);
        assertThat(machine.read("/run/systemd/network/10-multus-eni.link")).contains("MACAddress=" + eni.mac());
        assertThat(machine.exec("udevadm", "test-builtin", "net_setup_link", "/sys/class/net/multus"))
                .as("udev's own verdict on the .link file").contains("ID_NET_NAME=multus");
        awaitLabel(node, Duration.ofSeconds(20));
        String attachment = attachmentOf(eni).id();

        // The watchdog is pinged; the sandbox's exposure as the real manager scores it.
        long watchdog = monotonic(machine, UNIT, "WatchdogTimestampMonotonic");
        Thread.sleep(3000);
        assertThat(monotonic(machine, UNIT, "WatchdogTimestampMonotonic")).isGreaterThan(watchdog);
        Matcher exposure = Pattern.compile("Overall exposure level for multus-eni.service: ([0-9.]+)")
                .matcher(machine.exec("systemd-analyze", "security", UNIT, "--no-pager"));
        assertThat(exposure.find()).isTrue();
        System.out.printf("real systemd: exposure %s%n", exposure.group(1));
        assertThat(Double.parseDouble(exposure.group(1))).isLessThanOrEqualTo(2.5);

        try (LabelWatch watch = new LabelWatch(env, node.nodeName(), LABEL)) {
            // Reload: a good file applied, a bad one refused with the running configuration kept.
            machine.write("/etc/multus-eni/multus-eni.conf", "MULTUS_ENI_INTERVAL=3s\n");
            machine.exec("systemctl", "reload", UNIT);
            machine.awaitJournal(UNIT, "configuration changed on reload: interval=3s", Duration.ofSeconds(20));
            machine.write("/etc/multus-eni/multus-eni.conf", "MULTUS_ENI_INTERVAL=soon\n");
            machine.exec("systemctl", "reload", UNIT);
            machine.awaitProperty(UNIT, "StatusText", "reload refused: /etc/multus-eni/multus-eni.conf:1:"
                    + " MULTUS_ENI_INTERVAL=soon: ", Duration.ofSeconds(20));
            assertThat(machine.show(UNIT, "ActiveState")).isEqualTo("active");
            machine.write("/etc/multus-eni/multus-eni.conf", "");

            // Restart: the old process leaves everything, the new one adopts it.
            machine.exec("systemctl", "restart", UNIT);
            machine.awaitProperty(UNIT, "StatusText", "holding " + eni.id() + " as multus", Duration.ofSeconds(60));

            // A kill: systemd restarts it (Restart=on-failure), and it adopts.
            machine.exec("systemctl", "kill", "-s", "KILL", UNIT);
            machine.awaitProperty(UNIT, "NRestarts", "1", Duration.ofSeconds(30));
            machine.awaitProperty(UNIT, "StatusText", "holding " + eni.id() + " as multus", Duration.ofSeconds(60));
            Thread.sleep(3000);

            assertThat(watch.removed).as("the label was removed at some point").isFalse();
        }
        System.out.printf("real systemd: attachment %s at boot, %s after reload, restart and kill%n", attachment,
                attachmentOf(eni).id());
        assertThat(attachmentOf(eni).id()).as("the same attachment throughout").isEqualTo(attachment);
        assertThat(env.calls().calls("AttachNetworkInterface")).isEqualTo(1);
        assertThat(env.calls().mutations()).noneMatch(m -> m.startsWith("DetachNetworkInterface"));
        List<String> journal = journal(machine);
        assertPriority(journal, "configuration changed on reload: interval=3s", 6);
        assertPriority(journal, "lacks the tag node.k8s.amazonaws.com/no_manage=true", 4);
        assertPriority(journal, "configuration error on reload: /etc/multus-eni/multus-eni.conf:1:"
                + " MULTUS_ENI_INTERVAL=soon: ", 3);
        assertPriority(journal, "keeping the running configuration", 3);
        assertPriority(journal, "systemd is restarting the service: keeping the ENI", 6);

        // Stop: released within TimeoutStopSec, the files, the state and the tag gone.
        Instant stopping = Instant.now();
        machine.exec("systemctl", "stop", UNIT);
        System.out.printf("real systemd: systemctl stop took %d ms%n", Duration.between(stopping, Instant.now())
                .toMillis());
        assertThat(Duration.between(stopping, Instant.now())).isLessThan(Duration.ofSeconds(100));
        assertThat(env.eni(eni.id()).status()).isEqualTo("available");
        assertThat(env.instanceTags(node.instance.id())).doesNotContainKey("multus-network-attached");
        assertThat(env.labels(node.nodeName())).doesNotContainKey(LABEL);
        assertThat(machine.read("/run/systemd/network/10-multus-eni.link")).isNull();
        assertThat(machine.read("/run/multus-eni/state.json")).isNull();

        // A start on a /run without systemd/network (a node that has not rebooted since the install).
        machine.exec("rm", "-rf", "/run/systemd/network");
        machine.exec("systemctl", "start", UNIT);
        assertThat(machine.show(UNIT, "ActiveState")).isEqualTo("active");
        assertThat(machine.show(UNIT, "StatusText")).startsWith("holding " + eni.id());

        // Machine shutdown releases it for another node.
        machine.poweroff(Duration.ofSeconds(120));
        awaitEni(eni, "available", Duration.ofSeconds(10));
        assertThat(env.instanceTags(node.instance.id())).doesNotContainKey("multus-network-attached");
    }

    /**
     * What nodeadm's udev network manager writes for an interface it takes as systemd-networkd's, from
     * awslabs/amazon-eks-ami {@code nodeadm/cmd/nodeadm-internal/udev/eks-managed.network.tpl} (DHCP, a default
     * route in a table of its own, a policy rule from the interface's address), as {@code 70-eks-<name>.network}
     * ({@code systemd.go}). The template matches {@code PermanentMACAddress=}; a veth has no permanent address, so
     * the test's copy matches {@code MACAddress=}.
     */
    private static String nodeadmNetworkFile(String mac, String ip, int table) {
        return "[Match]\nMACAddress=" + mac + "\n\n[Link]\nMTUBytes=9001\n\n[Network]\nDHCP=yes\n"
                + "IPv6DuplicateAddressDetection=0\nLLMNR=no\nDNSDefaultRoute=yes\n\n[DHCPv4]\nUseHostname=no\n"
                + "RouteMetric=" + (512 + table % 100) + "\nUseRoutes=true\nUseGateway=true\n\n[Route]\nTable=" + table
                + "\nGateway=_dhcp4\n\n[RoutingPolicyRule]\nFrom=" + ip + "\nTable=" + table + "\nPriority=32765\n";
    }

    /** {@code networkctl list --json=short}: each link's AdministrativeState, as nodeadm-boot-hook reads it. */
    private static Map<String, String> adminStates(SystemdMachine machine) throws Exception {
        Map<String, String> states = new java.util.TreeMap<>();
        tools.jackson.databind.JsonNode list = new tools.jackson.databind.ObjectMapper()
                .readTree(machine.exec("networkctl", "list", "--json=short"));
        list.get("Interfaces").forEach(i -> states.put(i.get("Name").asString(),
                i.get("AdministrativeState").asString()));
        return states;
    }

    /**
     * nodeadm-boot-hook's condition (awslabs/amazon-eks-ami {@code nodeadm/cmd/nodeadm-internal/boot-book/hook.go},
     * {@code nodeadm/internal/system/networking.go}), for multus-eni's interface: it waits (a minute, then fails) until
     * every name its cache records as {@code io.systemd.Network} is {@code configured} and every other link is
     * {@code unmanaged}. The primary interface, which it also waits for, is not this test's (no DHCP here).
     */
    private static void assertBootHookHolds(SystemdMachine machine, String instanceId, String when) throws Exception {
        String cached = machine.read("/etc/eks/nodeadm/udev-net-manager/" + instanceId + "/multus");
        assertThat(cached).as("nodeadm's cache entry for multus %s", when).isEqualTo("multus-eni");
        assertThat(adminStates(machine)).as("networkctl %s", when).containsEntry("multus", "unmanaged");
    }

    private static void assertUpWithoutAddresses(SystemdMachine machine, String when) throws Exception {
        assertThat(machine.exec("ip", "-o", "link", "show", "dev", "multus")).as("multus %s", when)
                .containsPattern("[<,]UP[,>]");
        assertThat(machine.exec("ip", "-o", "addr", "show", "dev", "multus")).as("addresses of multus %s", when)
                .doesNotContain("inet");
        assertThat(machine.read("/proc/sys/net/ipv6/conf/multus/disable_ipv6")).as("IPv6 on multus %s", when)
                .isEqualTo("1\n");
    }

    @Test
    void besideNodeadmAndNetworkdMultusIsMultusEnisAloneAcrossRestartAndReboot() throws Exception {
        Node node = node();
        Environment.Eni eni = env.addEni(ZONE, OUR_TAGS);
        SystemdMachine machine = machine(node);
        // An instance an earlier multus-eni let nodeadm's udev network manager take: multus cached as systemd's.
        String cache = "/etc/eks/nodeadm/udev-net-manager/" + node.instance.id() + "/multus";
        machine.write(cache, "io.systemd.Network");
        machine.enable("systemd-networkd.service");
        // A control: another interface with nodeadm's file, which networkd does configure (so the test can fail).
        node.ns.hotPlug().ip("link", "add", "eth9", "type", "veth", "peer", "name", "peth9");
        node.ns.hotPlug().ip("link", "set", "dev", "eth9", "address", "0a:00:00:00:09:09");
        machine.boot();

        machine.awaitProperty(UNIT, "StatusText", "holding " + eni.id() + " as multus", Duration.ofSeconds(60));
        assertThat(machine.show("systemd-networkd.service", "ActiveState")).isEqualTo("active");
        assertPriority(journal(machine), "nodeadm had recorded multus as systemd-networkd's", 4);
        // nodeadm's files for both, and networkctl reload as its udev-net-manager@.service does after writing one.
        writeRun(machine, "70-eks-multus.network", nodeadmNetworkFile(eni.mac(), eni.privateIp(), 10001));
        writeRun(machine, "70-eks-eth9.network", nodeadmNetworkFile("0a:00:00:00:09:09", "10.99.0.9", 10002));
        machine.exec("networkctl", "reload");
        Thread.sleep(3000);

        Map<String, String> states = adminStates(machine);
        System.out.printf("real systemd, networkd beside nodeadm's files: %s%n", states);
        assertThat(states.get("eth9")).as("networkd takes the control interface: %s", states).isNotEqualTo("unmanaged");
        assertBootHookHolds(machine, node.instance.id(), "at the first boot");
        assertUpWithoutAddresses(machine, "at the first boot");

        machine.exec("systemctl", "restart", UNIT);
        machine.awaitProperty(UNIT, "StatusText", "holding " + eni.id() + " as multus", Duration.ofSeconds(60));
        assertBootHookHolds(machine, node.instance.id(), "after a restart");
        assertUpWithoutAddresses(machine, "after a restart");

        // A reboot: the ENI released at shutdown, taken again at boot; /run is new, /etc (the cache) is kept.
        machine.poweroff(Duration.ofSeconds(120));
        awaitEni(eni, "available", Duration.ofSeconds(10));
        machine.boot();
        machine.awaitProperty(UNIT, "StatusText", "holding " + eni.id() + " as multus", Duration.ofSeconds(60));
        assertBootHookHolds(machine, node.instance.id(), "after a reboot");
        assertUpWithoutAddresses(machine, "after a reboot");
    }

    private static void writeRun(SystemdMachine machine, String name, String content) throws Exception {
        machine.exec("sh", "-c", "printf '%s' \"$1\" > /run/systemd/network/$2", "sh", content, name);
    }

    @Test
    void aStandbyNodeUnderSystemdLetsKubeletStartAtOnce() throws Exception {
        Node node = node();
        Environment.Eni eni = env.addEni(ZONE, OUR_TAGS);
        env.attach(eni.id(), env.instance(ZONE, "prod").id(), 1); // the zone's holder is another node
        SystemdMachine machine = machine(node);
        machine.boot();

        machine.awaitProperty(UNIT, "ActiveState", "active", Duration.ofSeconds(60));
        assertThat(machine.show(UNIT, "StatusText")).startsWith("standby: no free ENI matches");
        long started = monotonic(machine, UNIT, "ExecMainStartTimestampMonotonic");
        long ready = monotonic(machine, UNIT, "ActiveEnterTimestampMonotonic");
        long kubelet = monotonic(machine, "kubelet.service", "ExecMainStartTimestampMonotonic");
        System.out.printf("real systemd, standby: start -> READY %d ms, READY -> kubelet %d ms%n",
                (ready - started) / 1000, (kubelet - ready) / 1000);
        assertThat(Duration.ofNanos((ready - started) * 1000)).as("READY without waiting out --boot-wait (60 s)")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(kubelet).isGreaterThanOrEqualTo(ready);
        assertThat(machine.show("kubelet.service", "ActiveState")).isEqualTo("active");
    }

    private void awaitLabel(Node node, Duration timeout) throws InterruptedException {
        env.awaitLabel(node.nodeName(), LABEL, true, timeout);
    }
}
