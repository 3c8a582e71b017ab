package io.multuseni.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.cli.Main;
import io.multuseni.environment.Backend;
import io.multuseni.environment.Environment;
import io.multuseni.environment.Instance;
import io.multuseni.environment.Scenarios;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code multus-eni doctor} against an EC2 with IMDS and an API server. Written once, run against each
 * {@link Backend}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class DoctorScenarios extends Scenarios {
    @TempDir
    Path tmp;

    private Instance instance;
    private Map<String, String> vars;
    private Environment.Eni eni;

    DoctorScenarios(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void setUp() {
        instance = env.instance("eu-west-2a", "prod");
        eni = env.addEni("eu-west-2a", Map.of("multus", "true", "cluster", "prod", "Zone", "eu-west-2a",
                "node.k8s.amazonaws.com/no_manage", "true"));
        vars = new HashMap<>(env.awsEnv(instance));
        vars.put("MULTUS_ENI_CONFIG", tmp.resolve("absent.conf").toString());
        vars.put("MULTUS_ENI_NETWORK_CONFIG_DIR", tmp.resolve("network").toString());
        vars.put("MULTUS_ENI_STATE_DIR", tmp.resolve("state").toString());
        vars.put("MULTUS_ENI_NODEADM_CACHE_DIR", tmp.resolve("nodeadm").toString());
        vars.put("MULTUS_ENI_KUBECONFIG", env.kubeconfig(tmp.resolve("kubeconfig")).toString());
    }

    /** Nothing was changed: none through EC2's API, and the ENI and instance as they were. */
    private void assertNothingChanged() {
        assertThat(env.calls().mutations()).isEmpty();
        assertThat(env.eni(eni.id()).status()).isEqualTo("available");
        assertThat(env.instanceTags(instance.id())).doesNotContainKey("multus-network-attached");
    }

    private record Run(int exit, String out) {}

    private Run doctor(String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[extra.length + 1];
            args[0] = "doctor";
            System.arraycopy(extra, 0, args, 1, extra.length);
            return new Run(Main.execute(args, vars), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(previous);
        }
    }

    /** A node whose CNI set-up has run: the NAD's plugins and Multus' configuration in place. */
    private String[] cniReady() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("cni-bin"));
        for (String plugin : List.of("host-device", "static")) {
            Files.setPosixFilePermissions(Files.writeString(bin.resolve(plugin), "#!/bin/sh\n"),
                    PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path conf = Files.createDirectories(tmp.resolve("net.d"));
        Files.writeString(conf.resolve("00-multus.conf"), "{}");
        return new String[] {"--cni-bin-dir", bin.toString(), "--cni-conf-dir", conf.toString(), "--kubelet-config",
            kubeletConfig(20).toString()};
    }

    /** kubelet's config as nodeadm writes it, with this maxPods. */
    private Path kubeletConfig(int maxPods) throws Exception {
        Path file = Files.createDirectories(tmp.resolve("kubelet")).resolve("config.json");
        Files.writeString(file, "{\n  \"kind\": \"KubeletConfiguration\",\n  \"apiVersion\": \"kubelet.config.k8s.io/v1beta1\","
                + "\n  \"clusterDomain\": \"cluster.local\",\n  \"maxPods\": " + maxPods + "\n}\n");
        return file;
    }

    @Test
    void aMaxPodsAboveWhatTheVpcCniCanPlaceIsAWarningWithTheValueToSet() throws Exception {
        Path config = kubeletConfig(20);
        // nodeadm's drop-ins override the file: the value kubelet runs with is the last one.
        Files.writeString(Files.createDirectories(tmp.resolve("kubelet/config.json.d")).resolve("00-nodeadm.conf"),
                "{\"maxPods\": 500}");

        Run run = doctor("--kubelet-config", config.toString());

        assertThat(run.exit()).as(run.out()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("! kubelet maxPods: kubelet admits 500 pods, but"
                + " (\\S+) \\((\\d+) interfaces, (\\d+) IPv4 each\\) with 1 held by multus-eni leaves the VPC CNI"
                + " addresses for (\\d+) pods").matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        int fits = (Integer.parseInt(m.group(2)) - 1) * (Integer.parseInt(m.group(3)) - 1) + 2;
        assertThat(Integer.parseInt(m.group(4))).isEqualTo(fits);
        assertThat(run.out()).contains("fix: set maxPods to " + fits + ", or in the NodeConfig kubelet.maxPodsExpression:"
                + " \"((default_enis - 1) * (ips_per_eni - 1)) + 2\"");
        assertThat(run.out()).contains("✓ ec2:DescribeInstanceTypes: allowed");
        assertNothingChanged();
    }

    @Test
    void aNameNodeadmRecordedAsSystemdsFailsWithTheFix() throws Exception {
        Path entry = Files.createDirectories(tmp.resolve("nodeadm").resolve(instance.id())).resolve("multus");
        Files.writeString(entry, "io.systemd.Network");

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("✗ nodeadm's interface cache: " + entry + " say io.systemd.Network:"
                + " nodeadm-boot-hook waits a minute for each at every boot")
                .contains("fix: systemctl restart multus-eni");
        assertThat(Files.readString(entry)).as("doctor changes nothing").isEqualTo("io.systemd.Network");

        Files.writeString(entry, "multus-eni");
        assertThat(doctor().out()).contains("✓ nodeadm's interface cache: multus: multus-eni's");
    }

    @Test
    void aNodeBeforeItsCniSetUpGetsWarningsThatDoNotFailIt() {
        Run run = doctor("--cni-bin-dir", tmp.resolve("no-bin").toString(), "--cni-conf-dir",
                tmp.resolve("no-net.d").toString());

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("! CNI plugins: host-device, static not in " + tmp.resolve("no-bin"))
                .contains("! Multus: no Multus configuration in " + tmp.resolve("no-net.d"))
                .contains("fix: install Multus in the cluster");
    }

    @Test
    void aGoodNodePassesEveryCheckAndNothingChanges() throws Exception {
        Run run = doctor(cniReady());

        assertThat(run.exit()).as(run.out()).isZero();
        // Every line passes except the detach, which nothing attached here can prove: it says so, without a ✓.
        assertThat(run.out().lines()).allMatch(l -> l.startsWith("✓ ") || l.startsWith("- "))
                .filteredOn(l -> l.startsWith("- ")).singleElement().asString()
                .startsWith("- ec2:DetachNetworkInterface: not tried: this instance holds no ENI");
        assertThat(run.out()).contains("✓ IMDSv2: instance " + instance.id() + " in eu-west-2a (eu-west-2)")
                .contains("✓ cluster name: prod (instance tags)")
                .contains("✓ candidate ENIs: " + eni.id() + " available")
                .contains("✓ ec2:AttachNetworkInterface: allowed")
                .contains("✓ ec2:CreateTags multus-network-attached: allowed")
                .contains("✓ ec2:DeleteTags multus-network-attached: allowed")
                .contains("✓ Kubernetes: the API server answered; Node " + instance.hostname()
                        + " has not registered yet")
                .contains("✓ network config dir")
                .contains("✓ kubelet maxPods: 20: ")
                .contains("✓ nodeadm's interface cache: " + tmp.resolve("nodeadm") + " absent");
        assertNothingChanged();
        assertThat(env.calls().calls("AttachNetworkInterface")).isEqualTo(1);
    }

    /** With an ENI attached here there is an attachment to try the detach on (DryRun: it stays attached). */
    @Test
    void theDetachIsTriedOnAnEniThisInstanceHolds() throws Exception {
        String attachment = env.attach(eni.id(), instance.id(), 1);
        List<String> before = List.copyOf(env.calls().mutations());

        Run run = doctor(cniReady());

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("✓ ec2:DetachNetworkInterface: allowed")
                .contains("- ec2:AttachNetworkInterface: not tried: no free ENI to try it on");
        assertThat(env.calls().calls("DetachNetworkInterface")).isEqualTo(1);
        assertThat(env.calls().mutations()).isEqualTo(before);
        assertThat(env.eni(eni.id()).attachment()).hasValueSatisfying(a -> assertThat(a.id()).isEqualTo(attachment));
    }

    @Test
    void aDeniedPermissionIsNamedWithItsFixAndFailsTheRun() {
        env.faults().deny("CreateTags");

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("✗ ec2:CreateTags multus-network-attached: denied: CreateTags failed:"
                        + " UnauthorizedOperation")
                .contains("fix: grant ec2:CreateTags on this instance for the tag key multus-network-attached to the"
                        + " node's instance role (docs/iam-policy.json allows keys ending -network-attached")
                .contains("✓ ec2:DeleteTags multus-network-attached: allowed");
        assertNothingChanged();
    }

    /** The policy's conditions differ per network (the ENI's tags, the tag key): each is tried on its own. */
    @Test
    void everyNetworksAttachAndInstanceTagAreTried() throws Exception {
        Environment.Eni sig = env.addEni("eu-west-2a", Map.of("multus", "sig", "cluster", "prod", "Zone", "eu-west-2a",
                "node.k8s.amazonaws.com/no_manage", "true"));
        vars.put("MULTUS_ENI_NETWORK_SIG", "interface-name=multus-sig;eni-tag=multus=sig,cluster={cluster},Zone={zone}");

        Run run = doctor(cniReady());

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("✓ candidate ENIs (multus-sig): " + sig.id() + " available")
                .contains("✓ ec2:AttachNetworkInterface (multus-sig): allowed")
                .contains("✓ ec2:CreateTags (multus-sig) multus-sig-network-attached: allowed")
                .contains("✓ ec2:DeleteTags (multus-sig) multus-sig-network-attached: allowed")
                .contains("✓ ec2:CreateTags multus-network-attached: allowed");
        assertThat(env.calls().calls("AttachNetworkInterface")).isEqualTo(2);
        assertThat(env.calls().calls("CreateTags")).isEqualTo(2);
        assertNothingChanged();
    }

    @Test
    void missingEnisAndTheVpcCniGuardAreReported() {
        env.untag(eni.id(), "node.k8s.amazonaws.com/no_manage");
        Run unguarded = doctor();
        assertThat(unguarded.exit()).isEqualTo(1);
        assertThat(unguarded.out()).contains("✗ VPC CNI kept away: " + eni.id() + " lack node.k8s.amazonaws.com/no_manage");

        env.tag(eni.id(), "cluster", "other");
        Run none = doctor("--json");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.out()).startsWith("{\"ok\": false, \"checks\": [{\"check\": \"IMDSv2\", \"ok\": true")
                .contains("{\"check\": \"candidate ENIs\", \"ok\": false, \"detail\": \"none tagged"
                        + " multus=true,cluster=prod,Zone=eu-west-2a in eu-west-2a\"");
    }

    @Test
    void noImdsMeansOnlyTheLocalChecksCanRun() {
        instance.imds().down(true);

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out().lines().map(l -> l.replaceFirst(":.*", "")).toList()).containsSubsequence(
                List.of("✗ IMDSv2", "    fix", "✓ interface name", "✓ network config dir"));
        assertThat(env.calls().totalCalls()).isZero();
    }
}
