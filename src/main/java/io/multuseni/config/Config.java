package io.multuseni.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/**
 * The validated configuration. Built only through {@link #validate(Raw)}, so a {@code Config} in hand
 * is always within the rules; every broken rule is reported at once, naming the option and value.
 */
public record Config(
        Optional<String> cluster,
        List<Network> networks,
        Duration bootWait,
        Duration attachTimeout,
        Duration detachTimeout,
        Path networkConfigDir,
        Path stateDir,
        Path cniConfDir,
        Path nodeadmCacheDir,
        boolean dryRun,
        Duration interval,
        Duration standbyMin,
        Duration standbyMax,
        Optional<Path> metricsFile,
        Kube kube) {

    /** How {@code run} keeps the Node label: off with {@code --no-kube}. */
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

    /** EKS cluster names: 1–100 characters, a letter or digit first, then letters, digits, '-' and '_'. */
    private static final Pattern CLUSTER = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");
    /** The kernel's IFNAMSIZ is 16 bytes including the terminating NUL. */
    private static final int MAX_INTERFACE_NAME_BYTES = 15;

    /**
     * Option values as given (flag, environment, config file or default), before any checking, set by name:
     * {@code new Raw().interfaceName("multus").bootWait("60s")}. Unset text is null, which the rules report.
     */
    public static final class Raw {
        private String cluster;
        private List<String> eniTags;
        private String interfaceName;
        private String instanceTag;
        private String bootWait;
        private String attachTimeout;
        private String detachTimeout;
        private String networkConfigDir;
        private String cniConfDir;
        private String nodeadmCacheDir;
        private String stateDir;
        private boolean dryRun;
        private String interval;
        private String standbyMin;
        private String standbyMax;
        private String metricsFile;
        private boolean noKube;
        private String nodeLabel;
        private String kubeconfig;
        private String kubeAuth;
        private String apiServer;
        private String apiCaFile;
        private String nodeName;
        private String nodeNameFrom;
        private List<Network.Source> networks = List.of();

        public Raw cluster(String value) {
            cluster = value;
            return this;
        }

        public Raw eniTags(List<String> value) {
            eniTags = value;
            return this;
        }

        public Raw interfaceName(String value) {
            interfaceName = value;
            return this;
        }

        public Raw instanceTag(String value) {
            instanceTag = value;
            return this;
        }

        public Raw bootWait(String value) {
            bootWait = value;
            return this;
        }

        public Raw attachTimeout(String value) {
            attachTimeout = value;
            return this;
        }

        public Raw detachTimeout(String value) {
            detachTimeout = value;
            return this;
        }

        public Raw networkConfigDir(String value) {
            networkConfigDir = value;
            return this;
        }

        public Raw nodeadmCacheDir(String value) {
            nodeadmCacheDir = value;
            return this;
        }

        public Raw cniConfDir(String value) {
            cniConfDir = value;
            return this;
        }

        public Raw stateDir(String value) {
            stateDir = value;
            return this;
        }

        public Raw dryRun(boolean value) {
            dryRun = value;
            return this;
        }

        public Raw interval(String value) {
            interval = value;
            return this;
        }

        public Raw standbyMin(String value) {
            standbyMin = value;
            return this;
        }

        public Raw standbyMax(String value) {
            standbyMax = value;
            return this;
        }

        public Raw metricsFile(String value) {
            metricsFile = value;
            return this;
        }

        public Raw noKube(boolean value) {
            noKube = value;
            return this;
        }

        public Raw nodeLabel(String value) {
            nodeLabel = value;
            return this;
        }

        public Raw kubeconfig(String value) {
            kubeconfig = value;
            return this;
        }

        public Raw kubeAuth(String value) {
            kubeAuth = value;
            return this;
        }

        public Raw apiServer(String value) {
            apiServer = value;
            return this;
        }

        public Raw apiCaFile(String value) {
            apiCaFile = value;
            return this;
        }

        public Raw nodeName(String value) {
            nodeName = value;
            return this;
        }

        public Raw nodeNameFrom(String value) {
            nodeNameFrom = value;
            return this;
        }

        public Raw networks(List<Network.Source> value) {
            networks = value;
            return this;
        }
    }

    public static Config validate(Raw raw) {
        List<String> problems = new ArrayList<>();
        Optional<String> cluster = Optional.ofNullable(raw.cluster).map(String::trim).filter(s -> !s.isEmpty());
        cluster.filter(c -> !CLUSTER.matcher(c).matches()).ifPresent(c -> problems.add("--cluster '" + c
                + "': an EKS cluster name is 1-100 letters, digits, '-' or '_', starting with a letter or digit"));

        List<Network> networks = new ArrayList<>();
        networks.add(defaultNetwork(raw, problems));
        for (Network.Source source : raw.networks) {
            networks.add(Network.parse(source, problems));
        }
        if (networks.stream().allMatch(Objects::nonNull)) {
            Network.checkApart(networks, problems);
            if (!raw.noKube) {
                networks.forEach(n -> checkAnnotationName(n, problems));
            }
        }

        Duration bootWait = Durations.parse("--boot-wait", raw.bootWait, Duration.ZERO, Duration.ofHours(1),
                problems);
        Duration attachTimeout = Durations.parse("--attach-timeout", raw.attachTimeout, Duration.ofSeconds(1),
                Duration.ofMinutes(15), problems);
        Duration detachTimeout = Durations.parse("--detach-timeout", raw.detachTimeout, Duration.ofSeconds(1),
                Duration.ofMinutes(15), problems);
        Path networkConfigDir = absolutePath("--network-config-dir", raw.networkConfigDir, problems);
        Path stateDir = absolutePath("--state-dir", raw.stateDir, problems);
        Path cniConfDir = absolutePath("--cni-conf-dir", raw.cniConfDir, problems);
        Path nodeadmCacheDir = absolutePath("--nodeadm-cache-dir", raw.nodeadmCacheDir, problems);
        Duration interval = Durations.parse("--interval", raw.interval, Duration.ofSeconds(1), Duration.ofHours(1),
                problems);
        Duration standbyMin = Durations.parse("--standby-min", raw.standbyMin, Duration.ofMillis(100),
                Duration.ofHours(1), problems);
        Duration standbyMax = Durations.parse("--standby-max", raw.standbyMax, Duration.ofMillis(100),
                Duration.ofHours(6), problems);
        if (standbyMin != null && standbyMax != null && standbyMax.compareTo(standbyMin) < 0) {
            problems.add("--standby-max '" + raw.standbyMax + "': must not be shorter than --standby-min '"
                    + raw.standbyMin + "'");
        }
        Optional<Path> metricsFile = present(raw.metricsFile).map(f -> absolutePath("--metrics-file", f, problems));
        Kube kube = kube(raw, problems);

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(cluster, List.copyOf(networks), bootWait, attachTimeout, detachTimeout,
                networkConfigDir, stateDir, cniConfDir, nodeadmCacheDir, raw.dryRun, interval, standbyMin, standbyMax,
                metricsFile, kube);
    }

    /** The network of {@code --interface-name}, {@code --eni-tag}, {@code --instance-tag} and {@code --node-label}. */
    private static Network defaultNetwork(Raw raw, List<String> problems) {
        int before = problems.size();
        List<TagSpec> eniTags = Network.eniTags("--eni-tag", raw.eniTags == null ? List.of() : raw.eniTags,
                problems);
        String name = raw.interfaceName == null ? "" : raw.interfaceName;
        checkInterfaceName("--interface-name", name, problems);
        TagSpec instanceTag = Network.instanceTag("--instance-tag", raw.instanceTag, problems);
        LabelSpec label = LabelSpec.parse("--node-label", String.valueOf(raw.nodeLabel), problems);
        return problems.size() > before ? null
                : new Network(Network.DEFAULT_ID, name, eniTags, instanceTag, label);
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

    private static Kube kube(Raw raw, List<String> problems) {
        Path kubeconfig = absolutePath("--kubeconfig", raw.kubeconfig, problems);
        KubeAuth auth = choice("--kube-auth", raw.kubeAuth, KubeAuth.values(), a -> a.word, problems);
        NodeNameFrom from = choice("--node-name-from", raw.nodeNameFrom, NodeNameFrom.values(), f -> f.word,
                problems);
        Optional<URI> apiServer = present(raw.apiServer).map(s -> {
            try {
                URI uri = new URI(s);
                if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
                    return uri;
                }
                if ("http".equals(uri.getScheme()) && uri.getHost() != null && isLoopback(uri.getHost())) {
                    return uri; // a proxy or tunnel on this machine: the token never crosses a network in clear
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            problems.add("--api-server '" + s + "': expected an https:// URL such as"
                    + " https://ABCD.gr7.eu-west-2.eks.amazonaws.com (plain http:// only to this machine, e.g."
                    + " http://127.0.0.1:8080: the node's token would cross the network in clear)");
            return null;
        });
        Optional<Path> caFile = present(raw.apiCaFile).map(s -> absolutePath("--api-ca-file", s, problems));
        Optional<String> nodeName = present(raw.nodeName);
        nodeName.filter(n -> !LabelSpec.isSubdomain(n))
                .ifPresent(n -> problems.add("--node-name '" + n + "': a Node name is a DNS subdomain (lower-case"
                        + " letters, digits, '-' and '.', at most 253 characters)"));
        return new Kube(!raw.noKube, kubeconfig, auth, apiServer, caFile, nodeName, from);
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equals("localhost") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
    }

    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static <E> E choice(String option, String raw, E[] values, Function<E, String> word,
                                List<String> problems) {
        for (E e : values) {
            if (word.apply(e).equals(raw)) {
                return e;
            }
        }
        problems.add(option + " '" + raw + "': must be one of " + String.join(", ",
                Arrays.stream(values).map(word).toList()));
        return null;
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

    private static Path absolutePath(String option, String raw, List<String> problems) {
        if (raw == null || raw.isBlank() || !raw.startsWith("/")) {
            problems.add(option + " '" + raw + "': must be an absolute path");
            return null;
        }
        return Path.of(raw);
    }

    /** Whether the cluster name is needed: a tag mentions {@code {cluster}}, or an EKS token must name it. */
    public boolean needsCluster() {
        return networks.stream().anyMatch(n -> n.eniTags().stream().anyMatch(t -> t.usesPlaceholder("cluster"))
                || n.instanceTag().usesPlaceholder("cluster"))
                || kube.enabled() && kube.auth() == KubeAuth.EKS_TOKEN;
    }

    /** The network of {@code --interface-name} and its companions: always there, always first. */
    public Network defaultNetwork() {
        return networks.get(0);
    }

    /**
     * Whether the other configuration holds the same ENI the same way (selector, name, tags, label,
     * files): if not, a reload must release under this one before taking up the other.
     */
    public boolean holdsLike(Config other) {
        return networks.equals(other.networks) && cluster.equals(other.cluster)
                && networkConfigDir.equals(other.networkConfigDir) && stateDir.equals(other.stateDir)
                && kube.enabled() == other.kube.enabled() && kube.nodeName().equals(other.kube.nodeName())
                && kube.nodeNameFrom() == other.kube.nodeNameFrom();
    }

    /** The effective configuration, one {@code name=value} per entry, for the log at start. */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("cluster", cluster.orElse("(from instance tags)"));
        Network main = defaultNetwork();
        d.put("eni-tag", main.eniTags().toString());
        d.put("interface-name", main.interfaceName());
        d.put("instance-tag", main.instanceTag().toString());
        d.put("boot-wait", Durations.format(bootWait));
        d.put("attach-timeout", Durations.format(attachTimeout));
        d.put("detach-timeout", Durations.format(detachTimeout));
        d.put("network-config-dir", networkConfigDir.toString());
        d.put("state-dir", stateDir.toString());
        d.put("cni-conf-dir", cniConfDir.toString());
        d.put("nodeadm-cache-dir", nodeadmCacheDir.toString());
        d.put("dry-run", Boolean.toString(dryRun));
        d.put("interval", Durations.format(interval));
        d.put("standby", Durations.format(standbyMin) + ".." + Durations.format(standbyMax));
        metricsFile.ifPresent(f -> d.put("metrics-file", f.toString()));
        networks.stream().skip(1).forEach(n -> d.put("network." + n.id(), "interface-name=" + n.interfaceName()
                + ";eni-tag=" + n.eniTags().stream().map(TagSpec::toString).collect(Collectors.joining(","))
                + ";instance-tag=" + n.instanceTag() + (kube.enabled() ? ";node-label=" + n.nodeLabel() : "")));
        if (kube.enabled()) {
            d.put("node-label", main.nodeLabel().toString());
            d.put("kubeconfig", kube.kubeconfig().toString());
            d.put("kube-auth", kube.auth().word);
            kube.apiServer().ifPresent(u -> d.put("api-server", u.toString()));
            kube.apiCaFile().ifPresent(f -> d.put("api-ca-file", f.toString()));
            d.put("node-name", kube.nodeName().orElse("(from " + kube.nodeNameFrom().word + ")"));
        } else {
            d.put("kube", "off (--no-kube)");
        }
        return d;
    }
}
