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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in this JVM against an EC2 with IMDS over HTTP: configuration from flags,
 * environment and file; exit codes; and that a bad value stops everything before the first AWS call.
 * Written once, run against each {@link Backend}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class CommandScenarios extends Scenarios {
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

    /** The rules themselves are a table on the pure code (config.SettingRulesTest); this is the wiring. */
    @Test
    void aBadValueIsExit78NamingItWithNoAwsCallAndNothingWritten() {
        try (LogCapture log = new LogCapture()) {
            assertThat(Main.execute(new String[] {"attach", "--interface-name", "multus-interface", "--state-dir",
                    tmp.resolve("network").toString(), "--network-config-dir", tmp.resolve("network").toString()},
                    vars)).isEqualTo(78);

            assertThat(log.text()).contains("configuration error: --interface-name 'multus-interface': must be 1 to"
                    + " 15 bytes");
        }
        assertThat(env.calls().totalCalls()).isZero();
        assertThat(tmp.resolve("network")).doesNotExist();
    }

    @Test
    void aBadNetworkIsExit78NamingItWithNoAwsCall() {
        try (LogCapture log = new LogCapture()) {
            assertThat(run("attach", "--network", "sig=interface-name=multus-sig")).isEqualTo(78);
            assertThat(log.text()).contains("configuration error: --network 'sig=interface-name=multus-sig':"
                    + " 'eni-tag' is required");
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
            assertThat(log.text()).contains(conf + ":2: MULTUS_ENI_BOOT_WAIT=forever: ");
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
            assertThat(log.text()).contains(conf + ":1: MULTUS_ENI_INTERFACE_NAM=multus: unknown setting");
        }
        assertThat(env.calls().totalCalls()).isZero();
    }

    /** Every kind of bad value in the file reads FILE:LINE: NAME=VALUE: rule, the line being the value's own. */
    @Test
    void everyProblemWithAValueInTheConfigFileNamesItsLine() throws Exception {
        Path conf = tmp.resolve("multus-eni.conf");
        Files.writeString(conf, String.join("\n",
                "# a comment, then the bad values",
                "MULTUS_ENI_BOOT_WAIT=soon",
                "MULTUS_ENI_INTERFACE_NAME='way-too-long-name'",
                "",
                "MULTUS_ENI_ENI_TAG=multus=true,bad",
                "MULTUS_ENI_STANDBY_MIN=20s",
                "MULTUS_ENI_STANDBY_MAX=10s",
                "MULTUS_ENI_NETWORK_SIG=interface-name=multus-sig;eni-tag=multus=sig;speed=fast",
                "MULTUS_ENI_NETWORK_DB=interface-name=x.y/z;eni-tag=multus=db",
                ""));
        vars.put("MULTUS_ENI_CONFIG", conf.toString());
        try (LogCapture log = new LogCapture()) {
            assertThat(run("status")).isEqualTo(78);
            assertThat(log.text()).contains(
                    conf + ":2: MULTUS_ENI_BOOT_WAIT=soon: ",
                    conf + ":3: MULTUS_ENI_INTERFACE_NAME=way-too-long-name: must be 1 to 15 bytes",
                    conf + ":5: MULTUS_ENI_ENI_TAG=multus=true,bad: 'bad': expected KEY=VALUE",
                    conf + ":7: MULTUS_ENI_STANDBY_MAX=10s: must not be shorter than",
                    conf + ":8: MULTUS_ENI_NETWORK_SIG=interface-name=multus-sig;eni-tag=multus=sig;speed=fast:"
                            + " unknown key 'speed'",
                    conf + ":9: MULTUS_ENI_NETWORK_DB=interface-name=x.y/z;eni-tag=multus=db: interface-name"
                            + " 'x.y/z': ");
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
            assertThat(log.text()).contains("no-kube=true").doesNotContain("Kubernetes:");
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
