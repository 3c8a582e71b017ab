package io.multuseni.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The validated configuration. Built only through {@link #validate(Raw)}, so a {@code Config} in hand
 * is always within the rules; every broken rule is reported at once, naming the option and value.
 */
public record Config(
        Optional<String> cluster,
        List<TagSpec> eniTags,
        String interfaceName,
        TagSpec instanceTag,
        Duration bootWait,
        Duration attachTimeout,
        Duration detachTimeout,
        Path networkConfigDir,
        Path stateDir,
        boolean dryRun,
        Duration interval,
        Duration standbyMin,
        Duration standbyMax,
        Optional<Path> metricsFile,
        Kube kube) {

    /** How {@code run} keeps the Node label: off with {@code --no-kube}. */
    public record Kube(
            boolean enabled,
            LabelSpec nodeLabel,
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

    /** Option values as given (flag, environment, config file or default), before any checking. */
    public record Raw(
            String cluster,
            List<String> eniTags,
            String interfaceName,
            String instanceTag,
            String bootWait,
            String attachTimeout,
            String detachTimeout,
            String networkConfigDir,
            String stateDir,
            boolean dryRun,
            String interval,
            String standbyMin,
            String standbyMax,
            String metricsFile,
            boolean noKube,
            String nodeLabel,
            String kubeconfig,
            String kubeAuth,
            String apiServer,
            String apiCaFile,
            String nodeName,
            String nodeNameFrom) {}

    public static Config validate(Raw raw) {
        List<String> problems = new ArrayList<>();
        Optional<String> cluster = Optional.ofNullable(raw.cluster()).map(String::trim).filter(s -> !s.isEmpty());
        cluster.filter(c -> !CLUSTER.matcher(c).matches()).ifPresent(c -> problems.add("--cluster '" + c
                + "': an EKS cluster name is 1-100 letters, digits, '-' or '_', starting with a letter or digit"));

        List<TagSpec> eniTags = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (String rawTag : raw.eniTags() == null ? List.<String>of() : raw.eniTags()) {
            TagSpec tag = TagSpec.parse("--eni-tag", rawTag, problems);
            if (tag != null && !keys.add(tag.key())) {
                problems.add("--eni-tag '" + rawTag + "': the key '" + tag.key() + "' is given twice");
            } else if (tag != null) {
                eniTags.add(tag);
            }
        }
        if (eniTags.isEmpty() && problems.isEmpty()) {
            problems.add("--eni-tag: at least one KEY=VALUE is needed, or every ENI in the zone would match");
        }

        String name = raw.interfaceName() == null ? "" : raw.interfaceName();
        checkInterfaceName(name, problems);

        TagSpec instanceTag = TagSpec.parse("--instance-tag", String.valueOf(raw.instanceTag()), problems);
        if (instanceTag != null && instanceTag.key().toLowerCase().startsWith("aws:")) {
            problems.add("--instance-tag '" + raw.instanceTag() + "': keys starting with 'aws:' are reserved by AWS");
        }

        Duration bootWait = Durations.parse("--boot-wait", raw.bootWait(), Duration.ZERO, Duration.ofHours(1),
                problems);
        Duration attachTimeout = Durations.parse("--attach-timeout", raw.attachTimeout(), Duration.ofSeconds(1),
                Duration.ofMinutes(15), problems);
        Duration detachTimeout = Durations.parse("--detach-timeout", raw.detachTimeout(), Duration.ofSeconds(1),
                Duration.ofMinutes(15), problems);
        Path networkConfigDir = absolutePath("--network-config-dir", raw.networkConfigDir(), problems);
        Path stateDir = absolutePath("--state-dir", raw.stateDir(), problems);
        Duration interval = Durations.parse("--interval", raw.interval(), Duration.ofSeconds(1), Duration.ofHours(1),
                problems);
        Duration standbyMin = Durations.parse("--standby-min", raw.standbyMin(), Duration.ofMillis(100),
                Duration.ofHours(1), problems);
        Duration standbyMax = Durations.parse("--standby-max", raw.standbyMax(), Duration.ofMillis(100),
                Duration.ofHours(6), problems);
        if (standbyMin != null && standbyMax != null && standbyMax.compareTo(standbyMin) < 0) {
            problems.add("--standby-max '" + raw.standbyMax() + "': must not be shorter than --standby-min '"
                    + raw.standbyMin() + "'");
        }
        Optional<Path> metricsFile = present(raw.metricsFile()).map(f -> absolutePath("--metrics-file", f, problems));
        Kube kube = kube(raw, problems);

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(cluster, List.copyOf(eniTags), name, instanceTag, bootWait, attachTimeout, detachTimeout,
                networkConfigDir, stateDir, raw.dryRun(), interval, standbyMin, standbyMax, metricsFile, kube);
    }

    private static Kube kube(Raw raw, List<String> problems) {
        LabelSpec label = LabelSpec.parse("--node-label", String.valueOf(raw.nodeLabel()), problems);
        Path kubeconfig = absolutePath("--kubeconfig", raw.kubeconfig(), problems);
        KubeAuth auth = choice("--kube-auth", raw.kubeAuth(), KubeAuth.values(), a -> a.word, problems);
        NodeNameFrom from = choice("--node-name-from", raw.nodeNameFrom(), NodeNameFrom.values(), f -> f.word,
                problems);
        Optional<URI> apiServer = present(raw.apiServer()).map(s -> {
            try {
                URI uri = new URI(s);
                if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            problems.add("--api-server '" + s + "': expected an https:// URL such as"
                    + " https://ABCD.gr7.eu-west-2.eks.amazonaws.com");
            return null;
        });
        Optional<Path> caFile = present(raw.apiCaFile()).map(s -> absolutePath("--api-ca-file", s, problems));
        Optional<String> nodeName = present(raw.nodeName());
        nodeName.filter(n -> !LabelSpec.isSubdomain(n))
                .ifPresent(n -> problems.add("--node-name '" + n + "': a Node name is a DNS subdomain (lower-case"
                        + " letters, digits, '-' and '.', at most 253 characters)"));
        return new Kube(!raw.noKube(), label, kubeconfig, auth, apiServer, caFile, nodeName, from);
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

    private static void checkInterfaceName(String name, List<String> problems) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_INTERFACE_NAME_BYTES) {
            problems.add("--interface-name '" + name + "': must be 1 to " + MAX_INTERFACE_NAME_BYTES
                    + " bytes long (it is " + bytes + ")");
        } else if (name.equals(".") || name.equals("..") || !name.chars().allMatch(
                c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'))) {
            // What both the kernel and udev take as is: '%' would be a kernel name template (mult%d becomes
            // mult0), and anything beyond ASCII is refused by udev's .link Name= or renamed by the kernel.
            problems.add("--interface-name '" + name + "': only ASCII letters, digits, '-', '_' and '.' are"
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
        return eniTags.stream().anyMatch(t -> t.usesPlaceholder("cluster"))
                || instanceTag.usesPlaceholder("cluster")
                || kube.enabled() && kube.auth() == KubeAuth.EKS_TOKEN;
    }

    /**
     * Whether the other configuration holds the same ENI the same way (selector, name, tags, label,
     * files): if not, a reload must release under this one before taking up the other.
     */
    public boolean holdsLike(Config other) {
        return eniTags.equals(other.eniTags) && interfaceName.equals(other.interfaceName)
                && instanceTag.equals(other.instanceTag) && cluster.equals(other.cluster)
                && networkConfigDir.equals(other.networkConfigDir) && stateDir.equals(other.stateDir)
                && kube.enabled() == other.kube.enabled() && kube.nodeLabel().equals(other.kube.nodeLabel())
                && kube.nodeName().equals(other.kube.nodeName()) && kube.nodeNameFrom() == other.kube.nodeNameFrom();
    }

    /** The effective configuration, one {@code name=value} per entry, for the log at start. */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("cluster", cluster.orElse("(from instance tags)"));
        d.put("eni-tag", eniTags.toString());
        d.put("interface-name", interfaceName);
        d.put("instance-tag", instanceTag.toString());
        d.put("boot-wait", Durations.format(bootWait));
        d.put("attach-timeout", Durations.format(attachTimeout));
        d.put("detach-timeout", Durations.format(detachTimeout));
        d.put("network-config-dir", networkConfigDir.toString());
        d.put("state-dir", stateDir.toString());
        d.put("dry-run", Boolean.toString(dryRun));
        d.put("interval", Durations.format(interval));
        d.put("standby", Durations.format(standbyMin) + ".." + Durations.format(standbyMax));
        metricsFile.ifPresent(f -> d.put("metrics-file", f.toString()));
        if (kube.enabled()) {
            d.put("node-label", kube.nodeLabel().toString());
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
