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
        Instant until = Instant.now().plus(timeout);
        while (!env.eni(eni.id()).status().equals(status)) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError(eni.id() + " not " + status + " within " + timeout);
            }
            Thread.sleep(100);
        }
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
            machine.awaitProperty(UNIT, "StatusText", "reload refused: MULTUS_ENI_INTERVAL (set in"
                    + " /etc/multus-eni/multus-eni.conf) 'soon'", Duration.ofSeconds(20));
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
        assertPriority(journal, "configuration error on reload: MULTUS_ENI_INTERVAL (set in"
                + " /etc/multus-eni/multus-eni.conf) 'soon'", 3);
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
        Instant until = Instant.now().plus(timeout);
        while (true) {
            Map<String, String> labels = env.labels(node.nodeName());
            if (labels != null && "true".equals(labels.get(LABEL))) {
                return;
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("label " + LABEL + " not set within " + timeout + ": " + labels);
            }
            Thread.sleep(100);
        }
    }
}
