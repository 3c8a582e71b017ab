package io.multuseni.doctor;

import io.multuseni.aws.AwsFailure;
import io.multuseni.aws.Ec2;
import io.multuseni.aws.Eni;
import io.multuseni.aws.Imds;
import io.multuseni.aws.InstanceType;
import io.multuseni.config.Config;
import io.multuseni.config.ConfigException;
import io.multuseni.config.Network;
import io.multuseni.config.Settings;
import io.multuseni.kube.KubeFailure;
import io.multuseni.kube.Nodes;
import io.multuseni.net.Links;
import io.multuseni.net.NodeadmCache;
import io.multuseni.node.NetworkContext;
import io.multuseni.node.NodeContext;
import io.multuseni.node.OwnNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks everything multus-eni needs on this node, changing nothing: every changing EC2 call is sent
 * with {@code DryRun=true}, which makes EC2 check the permission and stop. Each check says what it
 * found and, when it fails, how to fix it.
 */
public final class Doctor {
    private static final String POLICY = "docs/iam-policy.json";
    private static final Pattern MAX_PODS = Pattern.compile("\"maxPods\"\\s*:\\s*(\\d+)");

    private final Config config;
    private final Imds imds;
    private final Function<Imds.Identity, Ec2> dryRunEc2;
    private final Links links;
    private final Function<NodeContext, Nodes> kube;
    private final Path cniBin;
    private final Path cniConf;
    private final Path kubeletConfig;
    private final List<Check> checks = new ArrayList<>();

    /**
     * @param dryRunEc2 the EC2 edge for the instance's region, sending changing calls with DryRun=true
     * @param kube connects to the API server for this node (may throw {@link KubeFailure})
     * @param cniBin where the NetworkAttachmentDefinition's plugins must be (the EKS AMI: /opt/cni/bin)
     * @param kubeletConfig kubelet's configuration file, as nodeadm writes it (its drop-ins in {@code <file>.d/})
     */
    public Doctor(Config config, Imds imds, Function<Imds.Identity, Ec2> dryRunEc2, Links links,
                  Function<NodeContext, Nodes> kube, Path cniBin, Path kubeletConfig) {
        this.cniBin = cniBin;
        this.kubeletConfig = kubeletConfig;
        this.cniConf = config.get(Settings.CNI_CONF_DIR);
        this.config = config;
        this.imds = imds;
        this.dryRunEc2 = dryRunEc2;
        this.links = links;
        this.kube = kube;
    }

    public List<Check> run() {
        checks.clear();
        Optional<Imds.Identity> identity = attempt("IMDSv2", () -> imds.identity(),
                id -> "instance " + id.instanceId() + " in " + id.zone() + " (" + id.region() + "), answered with a"
                        + " session token",
                "enable IMDSv2 in the launch template: HttpEndpoint=enabled, HttpTokens=required; a hop limit of 1 is"
                        + " enough for multus-eni, which runs on the host");
        List<Eni> enis = identity.map(id -> awsChecks(id, dryRunEc2.apply(id))).orElse(List.of());
        config.networks().forEach(n -> interfaceName(n, enis));
        networkConfigDir();
        multus();
        return List.copyOf(checks);
    }

    /** @return the ENIs the selector finds (none when it could not look) */
    private List<Eni> awsChecks(Imds.Identity id, Ec2 ec2) {
        permission("ec2:DescribeTags", () -> ec2.instanceTags(id.instanceId()));
        Optional<NodeContext> node = attempt("cluster name", () -> NodeContext.resolve(config, imds, id, ec2),
                n -> n.cluster().map(c -> c + (config.get(Settings.CLUSTER).isPresent() ? " (--cluster)" : " (instance tags)"))
                        .orElse("not needed by the selector"),
                "set MULTUS_ENI_CLUSTER in /etc/multus-eni/multus-eni.conf, or tag the instance eks:cluster-name");
        if (node.isEmpty()) {
            return List.of();
        }
        List<Eni> found = new ArrayList<>();
        Optional<String> primaryMac = imds.primaryMac();
        for (Network network : config.networks()) {
            NetworkContext net = node.get().of(network);
            Map<String, String> filters = net.selector().filters();
            Optional<List<Eni>> enis = permission("ec2:DescribeNetworkInterfaces" + of(network),
                    () -> ec2.describeNetworkInterfaces(filters));
            enis.ifPresent(list -> candidates(list, net));
            enis.ifPresent(found::addAll);
            List<Eni> usable = enis.orElse(List.of()).stream()
                    .filter(e -> OwnNetwork.why(e, primaryMac).isEmpty()).toList(); // reported by candidates()
            changingCalls(id, ec2, net, usable);
        }
        maxPods(ec2);
        nodeadm(id);
        kubernetes(node.get());
        return found;
    }

    /**
     * Each network's own attach, detach and instance tag, with DryRun: the IAM policy's conditions are on the
     * ENI's tags and the tag key, which differ from network to network.
     */
    private void changingCalls(Imds.Identity id, Ec2 ec2, NetworkContext net, List<Eni> enis) {
        String of = of(net.network());
        Optional<Eni> free = enis.stream().filter(e -> e.status() == Eni.State.AVAILABLE).findFirst();
        Optional<Eni> mine = enis.stream().filter(e -> e.isAttachedTo(id.instanceId())).findFirst();
        notProvenOr("ec2:AttachNetworkInterface" + of, free.isEmpty() ? "no free ENI to try it on" : null,
                () -> ec2.attachNetworkInterface(free.get().id(), id.instanceId(), 1));
        notProvenOr("ec2:DetachNetworkInterface" + of, mine.isEmpty() ? "this instance holds no ENI to try it"
                + " on (" + POLICY + " grants it with the attach)" : null, () -> {
                    ec2.detachNetworkInterface(mine.get().attachment().orElseThrow().id());
                    return null;
                });
        String key = net.instanceTagKey();
        String value = net.instanceTagValue();
        for (String action : List.of("ec2:CreateTags", "ec2:DeleteTags")) {
            permission(action + of + " " + key, "grant " + action + " on this instance for the tag key " + key
                    + " to the node's instance role (" + POLICY + " allows keys ending -network-attached; add any"
                    + " other)", () -> {
                        if (action.equals("ec2:CreateTags")) {
                            ec2.createTag(id.instanceId(), key, value);
                        } else {
                            ec2.deleteTag(id.instanceId(), key, value);
                        }
                        return null;
                    });
        }
    }

    /**
     * kubelet's {@code maxPods} against the pods the VPC CNI can give an address on this instance type once every
     * network's ENI is attached: above it, the extra pods stay in ContainerCreating ("failed to assign an IP address
     * to container"). nodeadm's default counts every interface for the VPC CNI.
     */
    private void maxPods(Ec2 ec2) {
        Optional<InstanceType> found = permission("ec2:DescribeInstanceTypes",
                () -> ec2.instanceType(imds.instanceType()));
        if (found.isEmpty()) {
            return;
        }
        InstanceType type = found.get();
        int networks = config.networks().size();
        int fits = type.vpcCniPods(networks);
        String expression = maxPodsExpression(networks);
        String fix = "set maxPods to " + fits + ", or in the NodeConfig kubelet.maxPodsExpression: \"" + expression
                + "\" (Karpenter: reservedENIs " + networks + "; docs/walkthrough.md)";
        Optional<Integer> configured = configuredMaxPods();
        String fitsText = type.name() + " (" + type.interfaces() + " interfaces, " + type.ipv4PerInterface()
                + " IPv4 each) with " + networks + " held by multus-eni leaves the VPC CNI addresses for " + fits + " pods";
        if (configured.isEmpty()) {
            checks.add(Check.warn("kubelet maxPods", "no maxPods in " + kubeletConfig + " (normal before nodeadm's"
                    + " run phase writes it); " + fitsText, fix));
        } else if (configured.get() > fits) {
            checks.add(Check.warn("kubelet maxPods", "kubelet admits " + configured.get() + " pods, but " + fitsText
                    + " (where the VPC CNI runs; others stay in ContainerCreating)", fix));
        } else {
            checks.add(Check.pass("kubelet maxPods", configured.get() + ": " + fitsText));
        }
    }

    /** nodeadm's {@code maxPodsExpression} that leaves out one ENI per network (a CEL expression). */
    public static String maxPodsExpression(int networks) {
        return "((default_enis - " + networks + ") * (ips_per_eni - 1)) + 2";
    }

    /** {@code maxPods} of kubelet's config file, as its drop-ins (applied in name order) leave it. */
    private Optional<Integer> configuredMaxPods() {
        Path dropIns = kubeletConfig.resolveSibling(kubeletConfig.getFileName() + ".d");
        List<Path> files = new ArrayList<>(List.of(kubeletConfig));
        try (Stream<Path> s = Files.isDirectory(dropIns) ? Files.list(dropIns) : Stream.empty()) {
            s.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().forEach(files::add);
        } catch (IOException e) {
            // Unreadable drop-ins: the main file alone
        }
        Optional<Integer> maxPods = Optional.empty();
        for (Path f : files) {
            try {
                // A KubeletConfiguration in JSON: maxPods is a top-level number, and no other key is spelt so.
                Matcher m = MAX_PODS.matcher(Files.readString(f));
                if (m.find()) {
                    maxPods = Optional.of(Integer.parseInt(m.group(1)));
                }
            } catch (IOException | NumberFormatException e) {
                // Absent (before nodeadm's run phase) or not what kubelet would read: nothing from this file
            }
        }
        return maxPods;
    }

    /**
     * nodeadm's record of who owns each interface name ({@link NodeadmCache}): a name of ours recorded as
     * systemd-networkd's makes nodeadm-boot-hook wait a minute for it at every boot.
     */
    private void nodeadm(Imds.Identity id) {
        NodeadmCache cache = new NodeadmCache(config.get(Settings.NODEADM_CACHE_DIR), id.instanceId(), true);
        if (!cache.present()) {
            checks.add(Check.pass("nodeadm's interface cache", config.get(Settings.NODEADM_CACHE_DIR) + " absent: no nodeadm here"));
            return;
        }
        List<String> systemd = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (Network n : config.networks()) {
            String name = n.interfaceName();
            Optional<String> manager = cache.managerOf(name);
            if (manager.equals(Optional.of(NodeadmCache.SYSTEMD))) {
                systemd.add(cache.entry(name).toString());
            }
            found.add(name + ": " + manager.map(m -> m.equals(NodeadmCache.MULTUS_ENI) ? "multus-eni's" : m)
                    .orElse("not recorded yet (recorded when its ENI is attached)"));
        }
        checks.add(systemd.isEmpty() ? Check.pass("nodeadm's interface cache", String.join("; ", found))
                : Check.fail("nodeadm's interface cache", String.join(", ", systemd) + " say "
                        + NodeadmCache.SYSTEMD + ": nodeadm-boot-hook waits a minute for each at every boot",
                        "systemctl restart multus-eni (at start it records its names as multus-eni's), or write"
                                + " multus-eni into each file"));
    }

    /** A check's name for a network: as it always was for the default one, with the interface name for others. */
    private static String of(Network network) {
        return network.isDefault() ? "" : " (" + network.interfaceName() + ")";
    }

    private void candidates(List<Eni> enis, NetworkContext net) {
        String of = of(net.network());
        if (enis.isEmpty()) {
            checks.add(Check.fail("candidate ENIs" + of, "none tagged " + net.selector(),
                    "create an ENI in " + net.selector().zone() + " with the tags " + net.selector().tags()
                            + " and " + Eni.NO_MANAGE_TAG + "=true (docs/terraform)"));
            return;
        }
        List<String> described = new ArrayList<>();
        List<String> unguarded = new ArrayList<>();
        List<String> own = new ArrayList<>();
        Optional<String> primaryMac = imds.primaryMac();
        for (Eni e : enis) {
            Optional<String> why = OwnNetwork.why(e, primaryMac);
            if (why.isPresent()) {
                own.add(e.id() + ": " + why.get());
                continue;
            }
            described.add(e.id() + " " + e.status() + e.attachment().filter(Eni.Attachment::isActive)
                    .map(a -> " on " + a.instanceId()).orElse(""));
            if (!e.keptFromVpcCni()) {
                unguarded.add(e.id());
            }
        }
        if (!own.isEmpty()) {
            checks.add(Check.fail("node's own network" + of, String.join("; ", own) + " — tagged " + net.selector()
                    + ", never used by multus-eni", "remove those tags from them"));
        }
        checks.add(described.isEmpty() ? Check.fail("candidate ENIs" + of, "none but the node's own network",
                "create an ENI in " + net.selector().zone() + " with the tags " + net.selector().tags() + " and "
                        + Eni.NO_MANAGE_TAG + "=true (docs/terraform)")
                : Check.pass("candidate ENIs" + of, String.join(", ", described)));
        checks.add(unguarded.isEmpty() ? Check.pass("VPC CNI kept away" + of, "every candidate carries "
                + Eni.NO_MANAGE_TAG + "=true") : Check.fail("VPC CNI kept away" + of, String.join(", ", unguarded) + " lack "
                + Eni.NO_MANAGE_TAG + "=true, so the VPC CNI may use them for pod IPs",
                "tag them " + Eni.NO_MANAGE_TAG + "=true"));
    }

    private void kubernetes(NodeContext node) {
        if (!config.kube().enabled()) {
            checks.add(Check.pass("Kubernetes", "off (--no-kube): no Node label"));
            return;
        }
        attempt("Kubernetes", () -> {
            try (Nodes nodes = kube.apply(node)) {
                return nodes.node(node.nodeName());
            }
        }, labels -> "the API server answered; Node " + node.nodeName() + (labels.isPresent() ? " is registered"
                : " has not registered yet"), "check " + config.kube().kubeconfig() + " (written when the node"
                + " joins), or use --kube-auth eks-token with --api-server and --api-ca-file");
    }

    /** The name must be free, or held by the interface of one of our ENIs (already renamed). */
    private void interfaceName(Network network, List<Eni> enis) {
        String name = network.interfaceName();
        String check = "interface name" + of(network);
        Optional<String> mac = links.macOf(name);
        if (mac.isEmpty()) {
            checks.add(Check.pass(check, name + " is free"));
            return;
        }
        Optional<Eni> ours = enis.stream().filter(e -> e.mac().equalsIgnoreCase(mac.get())).findFirst();
        checks.add(ours.isPresent() ? Check.pass(check, name + " is the interface of " + ours.get().id())
                : Check.fail(check, name + " is held by an interface with MAC " + mac.get()
                        + ", which is no selected ENI's: multus-eni will refuse to rename anything onto it",
                "rename or remove that interface, or choose another --interface-name"));
    }

    private void networkConfigDir() {
        Path dir = config.get(Settings.NETWORK_CONFIG_DIR);
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        boolean writable = existing != null && Files.isWritable(existing);
        checks.add(writable ? Check.pass("network config dir", dir + " is writable")
                : Check.fail("network config dir", dir + " is not writable", "run as root, or set"
                + " --network-config-dir to a writable directory that udev and networkd read"));
    }

    /**
     * What a pod's NetworkAttachmentDefinition needs on the node besides the interface: the plugins it names
     * and Multus itself. Both arrive with Multus' DaemonSet and the node's CNI set-up, so before kubelet and
     * Multus run (an AMI build, a node just booted) their absence is a warning, not a failure.
     */
    private void multus() {
        List<String> missing = Stream.of("host-device", "static")
                .filter(p -> !Files.isExecutable(cniBin.resolve(p))).toList();
        checks.add(missing.isEmpty() ? Check.pass("CNI plugins", "host-device and static are in " + cniBin)
                : Check.warn("CNI plugins", String.join(", ", missing) + " not in " + cniBin + ", which the"
                        + " NetworkAttachmentDefinition names (normal before the node's CNI set-up has run)",
                        "put the CNI reference plugins (containernetworking/plugins) in " + cniBin
                                + "; on EKS the VPC CNI's init container (aws-vpc-cni-init) copies them there"));
        boolean configured;
        try (Stream<Path> files = Files.isDirectory(cniConf) ? Files.list(cniConf) : Stream.empty()) {
            configured = files.anyMatch(f -> f.getFileName().toString().contains("multus"));
        } catch (IOException e) {
            configured = false;
        }
        checks.add(configured ? Check.pass("Multus", "configured in " + cniConf)
                : Check.warn("Multus", "no Multus configuration in " + cniConf + " (normal before Multus runs)",
                        "install Multus in the cluster (its DaemonSet writes " + cniConf + "/00-multus.conf)"));
    }

    private <T> Optional<T> permission(String action, Supplier<T> call) {
        return permission(action, "grant " + action + " to the node's instance role (" + POLICY + ")", call);
    }

    private <T> Optional<T> permission(String check, String fix, Supplier<T> call) {
        return attempt(check, () -> Optional.ofNullable(call.get()), v -> "allowed", fix).map(v -> v.orElse(null));
    }

    /** A changing call tried with DryRun; when there is nothing to try it on, said so rather than failed. */
    private void notProvenOr(String action, String notProven, Supplier<Object> call) {
        if (notProven != null) {
            checks.add(Check.notTried(action, notProven));
        } else {
            permission(action, call);
        }
    }

    private <T> Optional<T> attempt(String name, Supplier<T> call, Function<T, String> detail, String fix) {
        try {
            T value = call.get();
            checks.add(Check.pass(name, detail.apply(value)));
            return Optional.of(value);
        } catch (AwsFailure f) {
            checks.add(Check.fail(name, f.kind() == AwsFailure.Kind.UNAUTHORIZED ? "denied: " + f.getMessage()
                    : f.getMessage(), fix));
        } catch (ConfigException | KubeFailure e) {
            checks.add(Check.fail(name, e.getMessage(), fix));
        } catch (RuntimeException e) {
            checks.add(Check.fail(name, String.valueOf(e.getMessage()), fix));
        }
        return Optional.empty();
    }
}
