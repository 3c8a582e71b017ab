package io.multuseni.config;

import static io.multuseni.config.Setting.OnReload.APPLY;
import static io.multuseni.config.Setting.OnReload.RELEASE;

import io.multuseni.config.Config.KubeAuth;
import io.multuseni.config.Config.NodeNameFrom;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every setting multus-eni has, each declared once: flag, default, help, rule and what a reload does. Its
 * variable is the flag's name in capitals ({@link Setting#variable()}); the order here is the order of the
 * help, the man page and the start-up log line. Adding a setting is one declaration here plus its uses
 * ({@code config.get(Settings.X)}).
 */
public final class Settings {
    private Settings() {}

    /** EKS cluster names: 1–100 characters, a letter or digit first, then letters, digits, '-' and '_'. */
    private static final Pattern CLUSTER_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");
    private static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug");

    public static final Setting<Optional<String>> CLUSTER = Setting.optional("--cluster", "NAME",
            "(from instance tags)", RELEASE, "EKS cluster name. Default: the instance tag aws:eks:cluster-name,"
                    + " eks:cluster-name, eks:eks-cluster-name or kubernetes.io/cluster/<name>.",
            (name, text, problems) -> {
                if (!CLUSTER_NAME.matcher(text).matches()) {
                    problems.add(name + " '" + text + "': an EKS cluster name is 1-100 letters, digits, '-' or '_',"
                            + " starting with a letter or digit");
                }
                return text;
            });

    public static final Setting<List<TagSpec>> ENI_TAG = Setting.list("--eni-tag", "KEY=VALUE",
            "multus=true,cluster={cluster},Zone={zone}", RELEASE, "Tag an ENI must carry to be selected;"
                    + " repeatable, replaces the default. Placeholders {cluster} and {zone}.",
            (name, text, problems) -> Network.eniTags(name, text == null ? List.of()
                    : Arrays.asList(text.split(",", -1)), problems),
            String::valueOf);

    public static final Setting<String> INTERFACE_NAME = Setting.of("--interface-name", "NAME", "multus", RELEASE,
            "Name the ENI's interface gets (the NetworkAttachmentDefinition's device).",
            (name, text, problems) -> {
                String interfaceName = text == null ? "" : text;
                Config.checkInterfaceName(name, interfaceName, problems);
                return interfaceName;
            }, String::valueOf);

    public static final Setting<TagSpec> INSTANCE_TAG = Setting.of("--instance-tag", "KEY=VALUE",
            "multus-network-attached=true", RELEASE, "Tag put on the instance while it holds the ENI.",
            Network::instanceTag, String::valueOf);

    public static final Setting<Duration> BOOT_WAIT = Setting.duration("--boot-wait", "60s", Duration.ZERO,
            Duration.ofHours(1), APPLY, "How long the boot phase waits for a free ENI while one of the zone is"
                    + " being detached or a race for one is under way (run); how long attach looks for one.");

    public static final Setting<Duration> ATTACH_TIMEOUT = Setting.duration("--attach-timeout", "30s",
            Duration.ofSeconds(1), Duration.ofMinutes(15), APPLY,
            "How long to wait for an attachment, and then for its interface.");

    public static final Setting<Duration> DETACH_TIMEOUT = Setting.duration("--detach-timeout", "60s",
            Duration.ofSeconds(1), Duration.ofMinutes(15), APPLY,
            "How long to wait for a detached ENI to become available.");

    public static final Setting<Path> NETWORK_CONFIG_DIR = directory("--network-config-dir", "/run/systemd/network",
            RELEASE, "Where the .link and .network files go.");

    public static final Setting<Path> CNI_CONF_DIR = directory("--cni-conf-dir", "/etc/cni/net.d", APPLY,
            "Where the node's CNI configuration is: Multus', and the VPC CNI's 10-aws.conflist where the VPC CNI"
                    + " runs (then an ENI without node.k8s.amazonaws.com/no_manage=true is never attached).");

    public static final Setting<Path> NODEADM_CACHE_DIR = directory("--nodeadm-cache-dir",
            "/etc/eks/nodeadm/udev-net-manager", APPLY, "Where nodeadm (the EKS AL2023 AMI) records which manager"
                    + " owns each interface name; multus-eni records its names there as its own (nothing is written"
                    + " where the directory is absent).");

    public static final Setting<Path> STATE_DIR = directory("--state-dir", "/run/multus-eni", RELEASE,
            "Where state.json goes.");

    public static final Setting<Boolean> DRY_RUN = Setting.flag("--dry-run", APPLY, "Log every change it would"
            + " make and make none (EC2 calls are sent with DryRun=true, which checks permissions).");

    public static final Setting<String> LOG_LEVEL = Setting.of("--log-level", "LEVEL", "info", APPLY,
            "error, warn, info or debug: how much multus-eni says of its own work. The AWS SDK and the Kubernetes"
                    + " client log warnings only, at every level, so no request, credential or token is ever printed.",
            (name, text, problems) -> {
                if (!LOG_LEVELS.contains(text)) {
                    problems.add(name + " '" + text + "': must be one of " + String.join(", ", LOG_LEVELS));
                }
                return text;
            }, String::valueOf);

    public static final Setting<Duration> INTERVAL = Setting.duration("--interval", "60s", Duration.ofSeconds(1),
            Duration.ofHours(1), APPLY, "How often run checks what it holds (from IMDS, no EC2 call) and the node"
                    + " label; jittered.");

    public static final Setting<Duration> STANDBY_MIN = Setting.duration("--standby-min", "10s",
            Duration.ofMillis(100), Duration.ofHours(1), APPLY,
            "Without an ENI, the first wait before looking again; it doubles after each look.");

    public static final Setting<Duration> STANDBY_MAX = Setting.duration("--standby-max", "5m",
            Duration.ofMillis(100), Duration.ofHours(6), APPLY, "The longest wait between looks without an ENI (a"
                    + " Node in the zone losing the label triggers a look at once).");

    public static final Setting<Optional<Path>> METRICS_FILE = Setting.optional("--metrics-file", "FILE", null,
            APPLY, "Write Prometheus metrics here after every check (node_exporter's textfile collector).",
            Settings::absolutePath);

    public static final Setting<Boolean> NO_KUBE = Setting.flag("--no-kube", RELEASE,
            "Leave Kubernetes alone: no node label (for hosts that only want the ENI).");

    public static final Setting<LabelSpec> NODE_LABEL = Setting.of("--node-label", "KEY=VALUE",
            "cluster.custom.tags/multus-attached=true", RELEASE, "Label put on this Node while it holds the ENI,"
                    + " its interface on the host or in a pod.",
            (name, text, problems) -> LabelSpec.parse(name, String.valueOf(text), problems), String::valueOf);

    public static final Setting<Path> KUBECONFIG = Setting.of("--kubeconfig", "FILE", "/var/lib/kubelet/kubeconfig",
            APPLY, "The node's own kubeconfig (exec plugins are run).", Settings::absolutePath, String::valueOf);

    public static final Setting<KubeAuth> KUBE_AUTH = Setting.choice("--kube-auth", "MODE", "kubeconfig",
            KubeAuth.class, a -> a.word, APPLY, "kubeconfig: the kubeconfig's own credentials; eks-token: sign an"
                    + " EKS token with the instance role (server and CA from --api-server/--api-ca-file or the"
                    + " kubeconfig).");

    public static final Setting<Optional<URI>> API_SERVER = Setting.optional("--api-server", "URL", null, APPLY,
            "API server URL, for --kube-auth eks-token.", Settings::apiServer);

    public static final Setting<Optional<Path>> API_CA_FILE = Setting.optional("--api-ca-file", "FILE", null, APPLY,
            "API server CA bundle, for --kube-auth eks-token.", Settings::absolutePath);

    public static final Setting<Optional<String>> NODE_NAME = Setting.optional("--node-name", "NAME",
            "(from --node-name-from)", RELEASE, "This node's Node name. Default: by --node-name-from.",
            (name, text, problems) -> {
                if (!LabelSpec.isSubdomain(text)) {
                    problems.add(name + " '" + text + "': a Node name is a DNS subdomain (lower-case letters,"
                            + " digits, '-' and '.', at most 253 characters)");
                }
                return text;
            });

    public static final Setting<NodeNameFrom> NODE_NAME_FROM = Setting.choice("--node-name-from", "SOURCE",
            "private-dns-name", NodeNameFrom.class, f -> f.word, RELEASE, "kubelet's rule when --node-name is not"
                    + " set: private-dns-name (IMDS local-hostname) or instance-id.");

    public static final Setting<Void> NETWORK = Setting.each("--network", "ID=SPEC", RELEASE, "A further Multus"
            + " network, each held on its own; repeatable. SPEC is ';'-separated key=value: interface-name (required),"
            + " eni-tag (required, comma-separated, placeholders as --eni-tag), node-label (default"
            + " cluster.custom.tags/<interface-name>-attached=true), instance-tag (default"
            + " <interface-name>-network-attached=true). Also MULTUS_ENI_NETWORK_<ID>=SPEC, ID upper-cased with '-'"
            + " written '_'.");

    /** All of them, in the order of the help. */
    public static final List<Setting<?>> ALL = List.of(CLUSTER, ENI_TAG, INTERFACE_NAME, INSTANCE_TAG, BOOT_WAIT,
            ATTACH_TIMEOUT, DETACH_TIMEOUT, NETWORK_CONFIG_DIR, CNI_CONF_DIR, NODEADM_CACHE_DIR, STATE_DIR, DRY_RUN,
            LOG_LEVEL, INTERVAL, STANDBY_MIN, STANDBY_MAX, METRICS_FILE, NO_KUBE, NODE_LABEL, KUBECONFIG, KUBE_AUTH,
            API_SERVER, API_CA_FILE, NODE_NAME, NODE_NAME_FROM, NETWORK);

    /** What selects the ENIs and names what is held: every command that looks at the ENIs uses these. */
    public static final List<Setting<?>> SELECTION = List.of(CLUSTER, ENI_TAG, INTERFACE_NAME, INSTANCE_TAG, NETWORK);

    /** How this Node is named, labelled and reached through the API server. */
    public static final List<Setting<?>> KUBERNETES = List.of(NO_KUBE, NODE_LABEL, KUBECONFIG, KUBE_AUTH, API_SERVER,
            API_CA_FILE, NODE_NAME, NODE_NAME_FROM);

    private static Setting<Path> directory(String name, String defaultText, Setting.OnReload onReload, String help) {
        return Setting.of(name, "DIR", defaultText, onReload, help, Settings::absolutePath, String::valueOf);
    }

    private static Path absolutePath(String name, String text, List<String> problems) {
        if (text == null || text.isBlank() || !text.startsWith("/")) {
            problems.add(name + " '" + text + "': must be an absolute path");
            return null;
        }
        return Path.of(text);
    }

    private static URI apiServer(String name, String text, List<String> problems) {
        try {
            URI uri = new URI(text);
            if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
                return uri;
            }
            if ("http".equals(uri.getScheme()) && uri.getHost() != null && isLoopback(uri.getHost())) {
                return uri; // a proxy or tunnel on this machine: the token never crosses a network in clear
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problems.add(name + " '" + text + "': expected an https:// URL such as"
                + " https://ABCD.gr7.eu-west-2.eks.amazonaws.com (plain http:// only to this machine, e.g."
                + " http://127.0.0.1:8080: the node's token would cross the network in clear)");
        return null;
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equals("localhost") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
    }
}
