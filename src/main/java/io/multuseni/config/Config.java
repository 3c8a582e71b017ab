package io.multuseni.config;

import static io.multuseni.config.Settings.API_CA_FILE;
import static io.multuseni.config.Settings.API_SERVER;
import static io.multuseni.config.Settings.ENI_TAG;
import static io.multuseni.config.Settings.INSTANCE_TAG;
import static io.multuseni.config.Settings.INTERFACE_NAME;
import static io.multuseni.config.Settings.KUBECONFIG;
import static io.multuseni.config.Settings.KUBE_AUTH;
import static io.multuseni.config.Settings.NODE_LABEL;
import static io.multuseni.config.Settings.NODE_NAME;
import static io.multuseni.config.Settings.NODE_NAME_FROM;
import static io.multuseni.config.Settings.NO_KUBE;
import static io.multuseni.config.Settings.STANDBY_MAX;
import static io.multuseni.config.Settings.STANDBY_MIN;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The validated configuration: a value for every {@link Settings setting} and the networks they describe.
 * Built only through {@link #validate(Raw)}, so a {@code Config} in hand is always within the rules; every
 * broken rule is reported at once, naming the setting and value.
 */
public final class Config {
    private final Map<Setting<?>, Object> values;
    private final List<Network> networks;

    private Config(Map<Setting<?>, Object> values, List<Network> networks) {
        this.values = values;
        this.networks = networks;
    }

    /** How {@code run} reaches the API server for the Node label: off with {@code --no-kube}. */
    public record Kube(
            boolean enabled,
            Path kubeconfig,
            KubeAuth auth,
            Optional<URI> apiServer,
            Optional<Path> apiCaFile,
            Optional<String> nodeName,
            NodeNameFrom nodeNameFrom) {}

    /** Whose credentials talk to the API server. */
    public enum KubeAuth {
        /** The kubeconfig as it is, exec plugins included (the kubelet's: aws eks get-token or aws-iam-authenticator). */
        KUBECONFIG("kubeconfig"),
        /** An EKS token we sign ourselves with the instance role; no CLI binary needed. */
        EKS_TOKEN("eks-token");

        public final String word;

        KubeAuth(String word) {
            this.word = word;
        }
    }

    /** kubelet's rule for the node name. */
    public enum NodeNameFrom {
        /** The instance's private DNS name (IMDS local-hostname): the EKS default. */
        PRIVATE_DNS_NAME("private-dns-name"),
        /** The instance id, as AL2023 nodes with InstanceIdNodeName use. */
        INSTANCE_ID("instance-id");

        public final String word;

        NodeNameFrom(String word) {
            this.word = word;
        }
    }

    /** The kernel's IFNAMSIZ is 16 bytes including the terminating NUL. */
    private static final int MAX_INTERFACE_NAME_BYTES = 15;

    /**
     * Settings as given (flag, environment, config file or default), before any checking:
     * {@code Raw.defaults().set(Settings.BOOT_WAIT, "90s")}. A list is its items joined by commas, a switch
     * {@code true} or {@code false}; the further networks come one {@link Network.Source} each.
     */
    public static final class Raw {
        private final Map<Setting<?>, String> text = new HashMap<>();
        private List<Network.Source> networks = List.of();

        /** Every setting at its default (a setting without one is unset). */
        public static Raw defaults() {
            Raw raw = new Raw();
            Settings.ALL.forEach(s -> raw.text.put(s, s.defaultText()));
            return raw;
        }

        public Raw set(Setting<?> setting, String value) {
            text.put(setting, value);
            return this;
        }

        public Raw networks(List<Network.Source> value) {
            networks = value;
            return this;
        }
    }

    public static Config validate(Raw raw) {
        List<String> problems = new ArrayList<>();
        Map<Setting<?>, Object> values = new HashMap<>(); // HashMap: a value that broke its rule is null
        for (Setting<?> setting : Settings.ALL) {
            int before = problems.size();
            Object value = setting.check(raw.text.get(setting), problems);
            values.put(setting, problems.size() > before ? null : value);
        }
        Config config = new Config(values, List.of());
        Duration standbyMin = config.get(STANDBY_MIN);
        Duration standbyMax = config.get(STANDBY_MAX);
        if (standbyMin != null && standbyMax != null && standbyMax.compareTo(standbyMin) < 0) {
            problems.add(STANDBY_MAX + " '" + raw.text.get(STANDBY_MAX) + "': must not be shorter than "
                    + STANDBY_MIN + " '" + raw.text.get(STANDBY_MIN) + "'");
        }

        List<Network> networks = new ArrayList<>();
        networks.add(Stream.of(INTERFACE_NAME, ENI_TAG, INSTANCE_TAG, NODE_LABEL).anyMatch(s -> config.get(s) == null)
                ? null : new Network(Network.DEFAULT_ID, config.get(INTERFACE_NAME), config.get(ENI_TAG),
                config.get(INSTANCE_TAG), config.get(NODE_LABEL)));
        for (Network.Source source : raw.networks) {
            networks.add(Network.parse(source, problems));
        }
        if (networks.stream().allMatch(Objects::nonNull)) {
            Network.checkApart(networks, problems);
            if (!config.get(NO_KUBE)) {
                networks.forEach(n -> checkAnnotationName(n, problems));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(values, List.copyOf(networks));
    }

    /** The checked value of a setting. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /** Every network, the one of {@code --interface-name} and its companions first. */
    public List<Network> networks() {
        return networks;
    }

    /** The settings that reach the API server, together. */
    public Kube kube() {
        return new Kube(!get(NO_KUBE), get(KUBECONFIG), get(KUBE_AUTH), get(API_SERVER), get(API_CA_FILE),
                get(NODE_NAME), get(NODE_NAME_FROM));
    }

    /** The interface name is also the name of the Node annotation, which must start and end with a letter or digit. */
    private static void checkAnnotationName(Network network, List<String> problems) {
        String name = network.interfaceName();
        String option = (network.isDefault() ? "--interface-name" : "network " + network.id() + " interface-name")
                + " '" + name + "': ";
        if (!Character.isLetterOrDigit(name.charAt(0)) || !Character.isLetterOrDigit(name.charAt(name.length() - 1))) {
            problems.add(option + "must start and end with a letter or digit, as it names the Node annotation "
                    + network.annotationKey() + " (or run with --no-kube)");
        } else if (network.annotationKey().equals(Network.RUNNING_ANNOTATION) || name.startsWith("claim-")) {
            problems.add(option + "the Node annotation " + network.annotationKey() + " would clash with one"
                    + " multus-eni keeps for itself; choose another name (or run with --no-kube)");
        }
    }

    static void checkInterfaceName(String option, String name, List<String> problems) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_INTERFACE_NAME_BYTES) {
            problems.add(option + " '" + name + "': must be 1 to " + MAX_INTERFACE_NAME_BYTES
                    + " bytes long (it is " + bytes + ")");
        } else if (name.equals(".") || name.equals("..") || !name.chars().allMatch(
                c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'))) {
            // What both the kernel and udev take as is: '%' would be a kernel name template (mult%d becomes
            // mult0), and anything beyond ASCII is refused by udev's .link Name= or renamed by the kernel.
            problems.add(option + " '" + name + "': only ASCII letters, digits, '-', '_' and '.' are"
                    + " allowed, and not '.' or '..' alone");
        }
    }

    /** Whether the cluster name is needed: a tag mentions {@code {cluster}}, or an EKS token must name it. */
    public boolean needsCluster() {
        return networks.stream().anyMatch(n -> n.eniTags().stream().anyMatch(t -> t.usesPlaceholder("cluster"))
                || n.instanceTag().usesPlaceholder("cluster"))
                || !get(NO_KUBE) && get(KUBE_AUTH) == KubeAuth.EKS_TOKEN;
    }

    /** The network of {@code --interface-name} and its companions: always there, always first. */
    public Network defaultNetwork() {
        return networks.get(0);
    }

    /**
     * Whether the other configuration holds the same ENI the same way: every setting a reload must
     * {@link Setting.OnReload#RELEASE release} for is alike. If not, a reload releases under this one before
     * taking up the other.
     */
    public boolean holdsLike(Config other) {
        return networks.equals(other.networks) && Settings.ALL.stream()
                .filter(s -> s.onReload() == Setting.OnReload.RELEASE)
                .allMatch(s -> Objects.equals(get(s), other.get(s)));
    }

    /** The effective configuration, one {@code name=value} per setting and further network, for the log at start. */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            String shown = setting.show(get(setting));
            if (shown != null) {
                d.put(setting.key(), shown);
            }
        }
        networks.stream().skip(1).forEach(n -> d.put("network." + n.id(), "interface-name=" + n.interfaceName()
                + ";eni-tag=" + n.eniTags().stream().map(TagSpec::toString).collect(Collectors.joining(","))
                + ";instance-tag=" + n.instanceTag() + (get(NO_KUBE) ? "" : ";node-label=" + n.nodeLabel())));
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config other && values.equals(other.values) && networks.equals(other.networks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, networks);
    }

    @Override
    public String toString() {
        return "Config" + describe();
    }
}
