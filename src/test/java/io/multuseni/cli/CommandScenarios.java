package io.multuseni.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.environment.Backend;
import io.multuseni.environment.Environment;
import io.multuseni.environment.Instance;
import io.multuseni.environment.Scenarios;
import io.multuseni.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line in this JVM against an EC2 with IMDS over HTTP: configuration from flags,
 * environment and file; exit codes; and that a bad value stops everything before the first AWS call.
 * Written once, run against each {@link Backend} by a subclass.
 */
abstract class CommandScenarios extends Scenarios {
    @TempDir
    Path tmp;

    private Instance instance;
    private Map<String, String> vars;

    CommandScenarios(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void setUp() {
        instance = env.instance("eu-west-2a", "prod");
        vars = new HashMap<>(env.awsEnv(instance));
        vars.put("MULTUS_ENI_CONFIG", tmp.resolve("absent.conf").toString());
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (args.length > 0 && !args[0].equals("version")) {
            all.addAll(List.of("--state-dir", tmp.resolve("state").toString(),
                    "--network-config-dir", tmp.resolve("network").toString()));
        }
        return Main.execute(all.toArray(String[]::new), vars);
    }

    /** What a successful command prints on stdout (logs go to stderr). */
    private String stdoutOf(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var previous = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(run(args)).isZero();
        } finally {
            System.setOut(previous);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("--interface-name", "multus-interface", "1 to 15 bytes"),
                Arguments.of("--interface-name", "", "1 to 15 bytes"),
                Arguments.of("--interface-name", "mult/us", "only ASCII letters, digits, '-', '_' and '.'"),
                Arguments.of("--interface-name", "mult us", "only ASCII letters"),
                Arguments.of("--interface-name", "multus:0", "only ASCII letters"),
                Arguments.of("--interface-name", "..", "not '.' or '..' alone"),
                Arguments.of("--interface-name", "mult%d", "only ASCII letters"),
                Arguments.of("--interface-name", "mult\u00a0us", "only ASCII letters"),
                Arguments.of("--eni-tag", "multus", "expected KEY=VALUE"),
                Arguments.of("--eni-tag", "=true", "the tag key is empty"),
                Arguments.of("--eni-tag", "cluster={cluster-name}", "unknown placeholder {cluster-name}"),
                Arguments.of("--eni-tag", "zone={zone", "unbalanced"),
                Arguments.of("--eni-tag", "{zone}=x", "placeholders are allowed in the value only"),
                Arguments.of("--eni-tag", "k".repeat(129) + "=v", "longer than 128 characters"),
                Arguments.of("--instance-tag", "multus-network-attached", "expected KEY=VALUE"),
                Arguments.of("--instance-tag", "aws:multus=true", "reserved by AWS"),
                Arguments.of("--boot-wait", "-5s", "expected a whole number followed by ms, s, m or h"),
                Arguments.of("--boot-wait", "90", "expected a whole number followed by ms, s, m or h"),
                Arguments.of("--boot-wait", "2h", "must be between 0s and 1h"),
                Arguments.of("--attach-timeout", "0s", "must be between 1s and 15m"),
                Arguments.of("--detach-timeout", "5 minutes", "expected a whole number"),
                Arguments.of("--cluster", "-prod", "an EKS cluster name is 1-100 letters"),
                Arguments.of("--cluster", "prod.cluster", "an EKS cluster name"),
                Arguments.of("--state-dir", "run/multus-eni", "must be an absolute path"),
                Arguments.of("--network-config-dir", "relative", "must be an absolute path"),
                Arguments.of("--interval", "0s", "must be between 1s and 1h"),
                Arguments.of("--node-label", "multus-attached", "expected KEY=VALUE"),
                Arguments.of("--node-label", "Custom_Tags/multus=true", "must be a DNS subdomain"),
                Arguments.of("--node-label", "kubernetes.io/multus=true", "NodeRestriction does not let a node"),
                Arguments.of("--node-label", "tags/" + "a".repeat(64) + "=true", "must be 1-63 characters"),
                Arguments.of("--node-label", "tags/multus=not ok", "the value 'not ok' must be at most 63"),
                Arguments.of("--kubeconfig", "kubeconfig", "must be an absolute path"),
                Arguments.of("--kube-auth", "token", "must be one of kubeconfig, eks-token"),
                Arguments.of("--node-name-from", "hostname", "must be one of private-dns-name, instance-id"),
                Arguments.of("--api-server", "ftp://api", "expected an https:// URL"),
                Arguments.of("--api-server", "http://ABCD.gr7.eu-west-2.eks.amazonaws.com",
                        "the node's token would cross the network in clear"),
                Arguments.of("--node-name", "IP-10-0-1-10", "a Node name is a DNS subdomain"));
    }

    @ParameterizedTest(name = "{0} ''{1}''")
    @MethodSource("badValues")
    void aBadValueIsExit78NamingItWithNoAwsCall(String option, String value, String rule) {
        try (LogCapture log = new LogCapture()) {
            List<String> args = new ArrayList<>(List.of("attach", option, value));
            for (String dirOption : List.of("--state-dir", "--network-config-dir")) {
                if (!dirOption.equals(option)) {
                    args.addAll(List.of(dirOption, tmp.resolve("network").toString()));
                }
            }

            assertThat(Main.execute(args.toArray(String[]::new), vars)).isEqualTo(78);

            assertThat(log.text()).contains("configuration error: " + option + " '" + value + "'").contains(rule);
        }
        assertThat(env.calls().totalCalls()).isZero();
        assertThat(tmp.resolve("network")).doesNotExist();
    }

    static Stream<Arguments> badNetworks() {
        return Stream.of(
                Arguments.of("sig=eni-tag=multus=sig", "'interface-name' is required"),
                Arguments.of("sig=interface-name=multus-sig", "'eni-tag' is required"),
                Arguments.of("sig=interface-name=multus;eni-tag=multus=sig", "both use interface-name multus"),
                Arguments.of("sig=interface-name=multus-sig;eni-tag=cluster={cluster},Zone={zone}",
                        "one ENI could match both selectors"),
                Arguments.of("sig=interface-name=multus-sig;eni-tag=multus=sig;mtu=9001", "unknown key 'mtu'"),
                Arguments.of("sig=interface-name=multus-sig;eni-tag=multus=sig;node-label="
                        + "cluster.custom.tags/multus-attached=yes", "both use the node label"),
                Arguments.of("Default=interface-name=multus-sig;eni-tag=multus=sig", "'default' is reserved"),
                Arguments.of("sig=interface-name=multus%d;eni-tag=multus=sig", "only ASCII letters"));
    }

    @ParameterizedTest(name = "--network ''{0}''")
    @MethodSource("badNetworks")
    void aBadNetworkIsExit78NamingItWithNoAwsCall(String spec, String rule) {
        try (LogCapture log = new LogCapture()) {
            assertThat(run("attach", "--network", spec)).isEqualTo(78);
            assertThat(log.text()).contains("configuration error: ").contains(rule);
        }
        assertThat(env.calls().totalCalls()).isZero();
    }

    @Test
    void aNetworkFromTheEnvironmentIsNamedByItsVariableWhenBad() {
        vars.put("MULTUS_ENI_NETWORK_STORAGE_NET", "interface-name=multus-storage;eni-tag=multus=storage;speed=fast");
        try (LogCapture log = new LogCapture()) {
            assertThat(run("status")).isEqualTo(78);
            assertThat(log.text()).contains("MULTUS_ENI_NETWORK_STORAGE_NET (set in the environment): unknown key"
                    + " 'speed'");
        }
        assertThat(env.calls().totalCalls()).isZero();
    }

    @Test
    void statusReportsEveryNetwork() {
        vars.put("MULTUS_ENI_NETWORK_SIG", "interface-name=multus-sig;eni-tag=multus=sig,cluster={cluster},Zone={zone}");
        String json = stdoutOf("status", "--json");
        assertThat(json).contains("{\"network\": \"sig\", \"instanceId\": \"" + instance.id())
                .contains("\"interfaceName\": \"multus-sig\"");
    }

    @Test
    void aValidConfigurationDoesReachAws() {
        assertThat(run("status")).isZero();
        assertThat(env.calls().calls("DescribeNetworkInterfaces")).isPositive();
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        try (LogCapture log = new LogCapture()) {
            assertThat(run("attach", "--interface-name", "way-too-long-name", "--boot-wait", "soon")).isEqualTo(78);
            assertThat(log.text()).contains("--interface-name 'way-too-long-name'").contains("--boot-wait 'soon'");
        }
    }

    @Test
    void anEmptyAwsRegionIsAConfigurationErrorThatSaysSo() {
        vars.put("AWS_REGION", " ");
        try (LogCapture log = new LogCapture()) {
            assertThat(run("status")).isEqualTo(78);
            assertThat(log.text()).contains("AWS_REGION is set but empty");
        }
        assertThat(env.calls().totalCalls()).isZero();
    }

    @Test
    void environmentVariablesConfigureAndFlagsWin() {
        vars.put("MULTUS_ENI_INTERFACE_NAME", "interface-name-too-long");
        try (LogCapture log = new LogCapture()) {
            assertThat(run("status")).isEqualTo(78);
            assertThat(log.text()).contains("MULTUS_ENI_INTERFACE_NAME (set in the environment)"
                    + " 'interface-name-too-long'");
        }
        assertThat(run("status", "--interface-name", "multus")).isZero();
    }

    @Test
    void repeatableOptionsTakeACommaSeparatedListFromTheEnvironment() {
        vars.put("MULTUS_ENI_ENI_TAG", "multus=true,cluster={cluster},bad");
        try (LogCapture log = new LogCapture()) {
            assertThat(run("status")).isEqualTo(78);
            assertThat(log.text()).contains("MULTUS_ENI_ENI_TAG (set in the environment) 'bad': expected KEY=VALUE");
        }
    }

    @Test
    void theConfigFileConfiguresAndTheEnvironmentWins() throws Exception {
        Path conf = tmp.resolve("multus-eni.conf");
        Files.writeString(conf, "# comment\nMULTUS_ENI_BOOT_WAIT=\"forever\"\n");
        vars.put("MULTUS_ENI_CONFIG", conf.toString());
        try (LogCapture log = new LogCapture()) {
            assertThat(run("status")).isEqualTo(78);
            assertThat(log.text()).contains("MULTUS_ENI_BOOT_WAIT (set in " + conf + ") 'forever'");
        }
        vars.put("MULTUS_ENI_BOOT_WAIT", "10s");
        assertThat(run("status")).isZero();
    }

    @Test
    void anUnknownSettingInTheConfigFileIsAnError() throws Exception {
        Path conf = tmp.resolve("multus-eni.conf");
        Files.writeString(conf, "MULTUS_ENI_INTERFACE_NAM=multus\n");
        try (LogCapture log = new LogCapture()) {
            assertThat(Main.execute(new String[] {"status", "--config", conf.toString()}, vars)).isEqualTo(78);
            assertThat(log.text()).contains("line 1: unknown setting 'MULTUS_ENI_INTERFACE_NAM'");
        }
        assertThat(env.calls().totalCalls()).isZero();
    }

    @Test
    void aMissingClusterNameSaysHowToSetIt() {
        env.untag(instance.id(), "eks:cluster-name");
        try (LogCapture log = new LogCapture()) {
            assertThat(run("attach")).isEqualTo(78);
            assertThat(log.text()).contains("no cluster name").contains("--cluster").contains("eks:cluster-name");
        }
        assertThat(env.calls().mutations()).isEmpty();
    }

    @Test
    void theClusterNameIsAlsoReadFromTheKubernetesClusterTag() {
        env.untag(instance.id(), "eks:cluster-name");
        env.tag(instance.id(), "kubernetes.io/cluster/prod", "owned");
        try (LogCapture log = new LogCapture()) {
            assertThat(run("status")).isZero();
            assertThat(log.text()).contains("cluster name prod taken from the tags of instance " + instance.id());
        }
    }

    @Test
    void usageErrorsAreExit2() {
        assertThat(Main.execute(new String[] {"attach", "--no-such-option"}, vars)).isEqualTo(2);
        assertThat(Main.execute(new String[] {"frobnicate"}, vars)).isEqualTo(2);
        assertThat(Main.execute(new String[] {}, vars)).isEqualTo(2);
    }

    @Test
    void withoutKubernetesStatusLeavesTheLabelUnknownAndMakesNoApiCall() {
        String out;
        try (LogCapture log = new LogCapture()) {
            out = stdoutOf("status", "--json", "--no-kube");
            assertThat(log.text()).contains("kube=off (--no-kube)").doesNotContain("Kubernetes:");
        }
        assertThat(out).contains("\"nodeName\": \"" + instance.hostname() + "\"")
                .contains("\"nodeLabelled\": null");
    }

    @Test
    void detachHoldingNothingIsExit0() {
        assertThat(run("detach")).isZero();
        assertThat(env.calls().mutations()).isEmpty();
    }

    @Test
    void attachWithNoFreeEniIsExit75AfterTheBootWait() {
        env.addEni("eu-west-2b", Map.of("multus", "true", "cluster", "prod", "Zone", "eu-west-2b"));
        try (LogCapture log = new LogCapture()) {
            assertThat(run("attach", "--boot-wait", "0s")).isEqualTo(75);
            assertThat(log.text()).contains("no free ENI matches multus=true,cluster=prod,Zone=eu-west-2a in eu-west-2a");
        }
        assertThat(env.calls().mutations()).isEmpty();
    }

    @Test
    void aDeniedAttachIsExit1NamingTheAction() {
        env.addEni("eu-west-2a", Map.of("multus", "true", "cluster", "prod", "Zone", "eu-west-2a"));
        env.faults().deny("AttachNetworkInterface");
        try (LogCapture log = new LogCapture()) {
            assertThat(run("attach")).isEqualTo(1);
            assertThat(log.text()).contains("not allowed to call ec2:AttachNetworkInterface");
        }
        assertThat(tmp.resolve("network/10-multus-eni.link")).doesNotExist();
    }

    @Test
    void whereTheVpcCniRunsAnEniWithoutNoManageIsNotAttachedExit1NamingItAndTheTag() throws Exception {
        Environment.Eni eni = env.addEni("eu-west-2a", Map.of("multus", "true", "cluster", "prod", "Zone", "eu-west-2a"));
        Path cni = Files.createDirectories(tmp.resolve("net.d"));
        Files.writeString(cni.resolve("10-aws.conflist"), "{\"cniVersion\": \"0.4.0\", \"name\": \"aws-cni\"}");
        try (LogCapture log = new LogCapture()) {
            assertThat(run("attach", "--cni-conf-dir", cni.toString())).isEqualTo(1);
            assertThat(log.text()).contains("not attaching [" + eni.id())
                    .contains("lack the tag node.k8s.amazonaws.com/no_manage=true and the VPC CNI runs on this node ("
                            + cni.resolve("10-aws.conflist") + ")")
                    .contains("Tag them node.k8s.amazonaws.com/no_manage=true");
        }
        assertThat(env.calls().calls("AttachNetworkInterface")).isZero();
        assertThat(env.calls().mutations()).isEmpty();
        assertThat(tmp.resolve("network/10-multus-eni.link")).doesNotExist();
    }

    @Test
    void thePrimaryEniCarryingTheSelectorsTagsIsNeitherReportedHeldNorDetached() {
        String primary = env.primaryEniOf(instance.id());
        Map.of("multus", "true", "cluster", "prod", "Zone", "eu-west-2a").forEach((k, v) -> env.tag(primary, k, v));

        String json = stdoutOf("status", "--json");
        assertThat(json).startsWith("{\"network\": \"default\"").contains("\"holding\": false")
                .doesNotContain(primary);
        try (LogCapture log = new LogCapture()) {
            assertThat(run("detach")).isZero();
            assertThat(log.text()).contains(primary).contains("is never used: it is an instance's primary interface");
        }
        assertThat(env.calls().mutations()).noneMatch(m -> m.startsWith("DetachNetworkInterface"));
        assertThat(env.eni(primary).attachment().orElseThrow().deviceIndex()).isZero();
    }

    @Test
    void dryRunAttachChangesNothing() {
        env.addEni("eu-west-2a", Map.of("multus", "true", "cluster", "prod", "Zone", "eu-west-2a"));
        try (LogCapture log = new LogCapture()) {
            assertThat(run("attach", "--dry-run")).isZero();
            assertThat(log.text()).contains("dry run: EC2 would accept AttachNetworkInterface").contains("would attach");
        }
        assertThat(env.calls().calls("AttachNetworkInterface")).isEqualTo(1);
        assertThat(env.calls().mutations()).isEmpty();
        assertThat(tmp.resolve("network")).doesNotExist();
    }

    @Test
    void statusJsonUsesTheDocumentedFieldNames() {
        String json = stdoutOf("status", "--json");
        assertThat(json).startsWith("{\"network\": \"default\", \"instanceId\": \"" + instance.id()
                + "\", \"zone\": \"eu-west-2a\", \"cluster\": \"prod\", \"holding\": false, \"eniId\": null");
        assertThat(json).contains("\"networks\": [{\"network\": \"default\", \"instanceId\": \"" + instance.id());
    }
}
