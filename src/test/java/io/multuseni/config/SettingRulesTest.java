package io.multuseni.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multuseni.testing.ConfigBuilder;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every setting's rule, as one table of bad values on the pure code: each is refused naming the setting, the
 * value and the rule. (That a refused value is exit 78 before any AWS call, from a flag, the environment or the
 * file, is the command line's test.)
 */
class SettingRulesTest {
    @TempDir
    Path tmp;

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
                Arguments.of("--node-name", "IP-10-0-1-10", "a Node name is a DNS subdomain"),
                Arguments.of("--cni-conf-dir", "etc/cni/net.d", "must be an absolute path"),
                Arguments.of("--nodeadm-cache-dir", "", "must be an absolute path"),
                Arguments.of("--log-level", "verbose", "must be one of error, warn, info, debug"),
                Arguments.of("--standby-min", "50ms", "must be between 100ms and 1h"),
                Arguments.of("--standby-max", "7h", "must be between 100ms and 6h"),
                Arguments.of("--metrics-file", "multus_eni.prom", "must be an absolute path"),
                Arguments.of("--api-ca-file", "ca.crt", "must be an absolute path"));
    }

    @ParameterizedTest(name = "{0} ''{1}''")
    @MethodSource("badValues")
    void aBadValueIsRefusedNamingTheSettingTheValueAndTheRule(String name, String value, String rule) {
        Setting<?> setting = Settings.ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();

        assertThatThrownBy(() -> new ConfigBuilder(tmp).set(setting, value).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith(name + " '" + value + "'").contains(rule)));
    }

    /** A setting added without a rule tried here fails this: each one with text to check has a bad value above. */
    @Test
    void everySettingWithARuleHasABadValueInTheTable() {
        Set<String> tried = badValues().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        assertThat(Settings.ALL.stream().filter(s -> s.kind() == Setting.Kind.VALUE || s.kind() == Setting.Kind.LIST)
                .map(Setting::name)).allMatch(tried::contains, "has a row in badValues");
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
    void aBadNetworkIsRefusedNamingIt(String spec, String rule) {
        assertThatThrownBy(() -> new ConfigBuilder(tmp).networks(spec).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains(rule)));
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        assertThatThrownBy(() -> new ConfigBuilder(tmp).set(Settings.INTERFACE_NAME, "way-too-long-name")
                .set(Settings.BOOT_WAIT, "soon").set(Settings.STANDBY_MAX, "5s").build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3)
                        .anySatisfy(p -> assertThat(p).startsWith("--interface-name 'way-too-long-name'"))
                        .anySatisfy(p -> assertThat(p).startsWith("--boot-wait 'soon'"))
                        .anySatisfy(p -> assertThat(p).isEqualTo("--standby-max '5s': must not be shorter than"
                                + " --standby-min '10s'")));
    }

    /** A declaration left out of Settings.ALL would be no option at all: no flag, no variable, no value. */
    @Test
    void everyDeclaredSettingIsInTheList() throws IllegalAccessException {
        List<Object> declared = new ArrayList<>();
        for (Field field : Settings.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
                declared.add(field.get(null));
            }
        }
        assertThat(declared).isNotEmpty();
        assertThat(new ArrayList<Object>(Settings.ALL)).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void theDefaultsAreValidAndEachSettingReadsBackItsDefault() {
        Config config = new ConfigBuilder(tmp).build();
        assertThat(config.get(Settings.INTERVAL)).hasSeconds(60);
        assertThat(config.get(Settings.CLUSTER)).isEmpty();
        assertThat(config.get(Settings.KUBE_AUTH)).isEqualTo(Config.KubeAuth.KUBECONFIG);
        assertThat(config.defaultNetwork().interfaceName()).isEqualTo("multus");
        assertThat(config.describe()).containsEntry("boot-wait", "5s").containsEntry("cluster", "(from instance tags)")
                .doesNotContainKey("metrics-file").doesNotContainKey("network");
    }

    @Test
    void aReloadReleasesOnlyForWhatNamesOrPlacesTheEni() {
        Config running = new ConfigBuilder(tmp).build();
        assertThat(new ConfigBuilder(tmp).set(Settings.INTERVAL, "5m").build().holdsLike(running)).isTrue();
        assertThat(new ConfigBuilder(tmp).set(Settings.LOG_LEVEL, "debug").build().holdsLike(running)).isTrue();
        for (Setting<?> setting : List.of(Settings.INTERFACE_NAME, Settings.NODE_NAME, Settings.CLUSTER)) {
            assertThat(new ConfigBuilder(tmp).set(setting, "other").build().holdsLike(running))
                    .as(setting.name()).isFalse();
        }
        assertThat(new ConfigBuilder(tmp).set(Settings.NO_KUBE, "true").build().holdsLike(running)).isFalse();
        assertThat(new ConfigBuilder(tmp).networks("sig=interface-name=multus-sig;eni-tag=multus=sig").build()
                .holdsLike(running)).isFalse();
    }
}
