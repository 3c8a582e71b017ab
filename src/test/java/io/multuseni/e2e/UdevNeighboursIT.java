package io.multuseni.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multuseni.config.Config;
import io.multuseni.config.Network;
import io.multuseni.config.Settings;
import io.multuseni.net.InterfaceFiles;
import io.multuseni.net.NodeadmCache;
import io.multuseni.standin.Netns;
import io.multuseni.standin.NetnsHotPlug;
import io.multuseni.testing.ConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real udev judging every rule of the node for an ENI's interface, with multus-eni's rule
 * ({@code systemd/85-multus-eni.rules}, as the package installs it in {@code /usr/lib/udev/rules.d}) beside
 * the two neighbours that configure ENIs:
 * <ul>
 *   <li>nodeadm's {@code 90-eks.rules}, reproduced from awslabs/amazon-eks-ami
 *       {@code templates/al2023/runtime/rootfs/etc/udev/rules.d/90-eks.rules} (nodeadm cannot run here): on
 *       {@code add} of an {@code ena|vif|ixgbevf} interface it enables {@code udev-net-manager@$name.service};</li>
 *   <li>the real {@code 99-vpc-policy-routes.rules} of Debian's amazon-ec2-net-utils package: on {@code add} it
 *       enables {@code policy-routes@$name.service}.</li>
 * </ul>
 * Both neighbours' driver lists are widened by {@code veth} only, since the test's interfaces are veths.
 * {@code udevadm test --action=add} runs every rule and prints the {@code run:} lines it would queue, running none.
 * It runs in the node's network namespace and in a mount namespace of its own, where a tmpfs over {@code /run}
 * and bind mounts over the rules directories keep the host's udev untouched.
 */
class UdevNeighboursIT {
    private static final Path NET_UTILS_RULE = Path.of("/usr/lib/udev/rules.d/99-vpc-policy-routes.rules");
    private static final String EKS_RULE = "SUBSYSTEM==\"net\", ACTION==\"add\", ENV{ID_NET_DRIVER}==\"vif|ena|ixgbevf\","
            + " RUN+=\"/usr/bin/systemctl enable --now --no-block udev-net-manager@$name.service\"\n"
            + "SUBSYSTEM==\"net\", ACTION==\"remove\", ENV{ID_NET_DRIVER}==\"vif|ena|ixgbevf\","
            + " RUN+=\"/usr/bin/systemctl disable --now udev-net-manager@$name.service\"\n";
    private static final String ENI_MAC = "0a:00:00:00:0e:01";
    private static final String SIG_MAC = "0a:00:00:00:0e:02";
    private static final String OTHER_MAC = "0a:00:00:00:0e:03";

    @TempDir
    Path dir;
    private Netns node;

    static Optional<String> unavailable() {
        Optional<String> netns = Netns.unavailable();
        if (netns.isPresent()) {
            return netns;
        }
        if (NetnsHotPlug.run(List.of("sh", "-c", "command -v udevadm && command -v unshare")).exit() != 0) {
            return Optional.of("needs udevadm and unshare (apt-get install -y udev util-linux)");
        }
        return Files.isRegularFile(NET_UTILS_RULE) ? Optional.empty()
                : Optional.of("needs the real amazon-ec2-net-utils rule " + NET_UTILS_RULE
                        + " (apt-get install -y amazon-ec2-net-utils)");
    }

    @BeforeEach
    void setUp() throws IOException {
        Optional<String> why = unavailable();
        assumeTrue(why.isEmpty(), () -> "udev neighbours tier skipped: " + why.orElse(""));
        node = Netns.create();
        // As the kernel shows freshly attached ENIs: eth<N>, before udev names them.
        veth("eth1", ENI_MAC);
        veth("eth2", SIG_MAC);
        veth("eth3", OTHER_MAC);
        // multus-eni's own files, written by its own code for the default network and a further one.
        ConfigBuilder builder = new ConfigBuilder(dir);
        builder.networks("sig=interface-name=multus-sig;eni-tag=multus=sig");
        Config config = builder.build();
        Path run = Files.createDirectories(dir.resolve("network"));
        for (Network n : config.networks()) {
            new InterfaceFiles(run, false, n, new NodeadmCache(dir.resolve("no-nodeadm"), "i-1", false)).write(n.isDefault() ? ENI_MAC : SIG_MAC, n.interfaceName());
        }
        Path rules = Files.createDirectories(dir.resolve("rules"));
        try (Stream<Path> system = Files.list(Path.of("/usr/lib/udev/rules.d"))) {
            for (Path r : system.filter(p -> p.toString().endsWith(".rules")).toList()) {
                Files.copy(r, rules.resolve(r.getFileName()));
            }
        }
        Files.copy(Path.of("systemd/85-multus-eni.rules"), rules.resolve("85-multus-eni.rules"));
        Files.writeString(rules.resolve("90-eks.rules"), widened(EKS_RULE));
        Files.writeString(rules.resolve(NET_UTILS_RULE.getFileName().toString()),
                widened(Files.readString(NET_UTILS_RULE)));
        Files.createDirectories(dir.resolve("empty"));
    }

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void neitherNeighbourTakesAnInterfaceMultusEniNames() {
        for (String kernelName : List.of("eth1", "eth2")) {
            String out = udevTest(kernelName);
            String named = kernelName.equals("eth1") ? "multus" : "multus-sig";
            assertThat(out).as("udevadm test of %s", kernelName)
                    .contains("ID_NET_NAME=" + named)
                    .contains("ID_NET_DRIVER=multus-eni")
                    .contains("MULTUS_ENI_NET_DRIVER=veth")
                    .contains("ID_NET_MANAGED_BY=io.multus-eni")
                    .doesNotContain("udev-net-manager@")
                    .doesNotContain("policy-routes@");
        }
    }

    @Test
    void bothNeighboursStillTakeEveryOtherInterface() {
        // The same rules queue both neighbours' units for an interface that is not multus-eni's: the test can fail.
        assertThat(udevTest("eth3"))
                .contains("ID_NET_DRIVER=veth")
                .contains("run: '/usr/bin/systemctl enable --now --no-block udev-net-manager@eth3.service'")
                .contains("run: '/usr/bin/systemctl enable --now --no-block policy-routes@eth3.service"
                        + " refresh-policy-routes@eth3.timer'");
    }

    private void veth(String name, String mac) {
        String peer = "p" + name;
        check(node.hotPlug().ip("link", "add", name, "type", "veth", "peer", "name", peer));
        check(node.hotPlug().ip("link", "set", "dev", name, "address", mac));
    }

    /** {@code udevadm test --action=add} for one interface, with the test's rules, .link files and an empty /etc. */
    private String udevTest(String kernelName) {
        String script = String.join("\n",
                "set -e",
                "mount -t tmpfs tmpfs /run",
                "mkdir -p /run/udev /run/systemd/network",
                "cp " + dir.resolve("network") + "/* /run/systemd/network/",
                "mount --bind " + dir.resolve("rules") + " /usr/lib/udev/rules.d",
                "for d in /etc/udev/rules.d /etc/systemd/network; do",
                "  if [ -d $d ]; then mount --bind " + dir.resolve("empty") + " $d; fi",
                "done",
                "udevadm test --action=add /sys/class/net/" + kernelName + " 2>&1");
        NetnsHotPlug.Run r = NetnsHotPlug.run(List.of("ip", "netns", "exec", node.name(), "unshare", "-m",
                "--propagation", "private", "sh", "-c", script));
        assertThat(r.exit()).as("udevadm test of %s:\n%s", kernelName, r.output()).isZero();
        return r.output();
    }

    private static String widened(String rule) {
        assertThat(rule).contains("ENV{ID_NET_DRIVER}==\"vif|ena|ixgbevf\"");
        return rule.replace("ENV{ID_NET_DRIVER}==\"vif|ena|ixgbevf\"", "ENV{ID_NET_DRIVER}==\"vif|ena|ixgbevf|veth\"");
    }

    private static void check(NetnsHotPlug.Run r) {
        assertThat(r.exit()).as(r.output()).isZero();
    }
}
