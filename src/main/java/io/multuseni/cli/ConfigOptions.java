package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.config.Network;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every ENI command shares. Each is also read from the environment variable
 * {@code MULTUS_ENI_<NAME>} and from the config file (see {@link EnvironmentDefaults}); flags win.
 * Values are kept as text here and checked in {@link Config#validate}, so a bad value from any
 * source is a configuration error (exit 78) naming the value, never a usage error.
 */
final class ConfigOptions {
    static final String DEFAULT_CONFIG_FILE = "/etc/multus-eni/multus-eni.conf";

    @Option(names = "--config", paramLabel = "FILE", defaultValue = DEFAULT_CONFIG_FILE,
            description = "Config file of MULTUS_ENI_*=value lines (the unit's EnvironmentFile). Default: ${DEFAULT-VALUE}")
    String configFile;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "EKS cluster name. Default: the instance tag aws:eks:cluster-name, eks:cluster-name,"
                    + " eks:eks-cluster-name"
                    + " or kubernetes.io/cluster/<name>.")
    String cluster;

    @Option(names = "--eni-tag", paramLabel = "KEY=VALUE", split = ",",
            defaultValue = "multus=true,cluster={cluster},Zone={zone}",
            description = "Tag an ENI must carry to be selected; repeatable, replaces the default."
                    + " Placeholders {cluster} and {zone}. Default: ${DEFAULT-VALUE}")
    List<String> eniTags;

    @Option(names = "--interface-name", paramLabel = "NAME", defaultValue = "multus",
            description = "Name the ENI's interface gets (the NetworkAttachmentDefinition's device). Default: ${DEFAULT-VALUE}")
    String interfaceName;

    @Option(names = "--instance-tag", paramLabel = "KEY=VALUE", defaultValue = "multus-network-attached=true",
            description = "Tag put on the instance while it holds the ENI. Default: ${DEFAULT-VALUE}")
    String instanceTag;

    @Option(names = "--boot-wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long the boot phase waits for a free ENI while one of the zone is being detached or"
                    + " a race for one is under way (run); how long attach looks for one. Default: ${DEFAULT-VALUE}")
    String bootWait;

    @Option(names = "--attach-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long to wait for an attachment, and then for its interface. Default: ${DEFAULT-VALUE}")
    String attachTimeout;

    @Option(names = "--detach-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for a detached ENI to become available. Default: ${DEFAULT-VALUE}")
    String detachTimeout;

    @Option(names = "--network-config-dir", paramLabel = "DIR", defaultValue = "/run/systemd/network",
            description = "Where the .link and .network files go. Default: ${DEFAULT-VALUE}")
    String networkConfigDir;

    @Option(names = "--cni-conf-dir", paramLabel = "DIR", defaultValue = "/etc/cni/net.d",
            description = "Where the node's CNI configuration is: Multus', and the VPC CNI's 10-aws.conflist where the"
                    + " VPC CNI runs (then an ENI without node.k8s.amazonaws.com/no_manage=true is never attached)."
                    + " Default: ${DEFAULT-VALUE}")
    String cniConfDir;

    @Option(names = "--nodeadm-cache-dir", paramLabel = "DIR", defaultValue = "/etc/eks/nodeadm/udev-net-manager",
            description = "Where nodeadm (the EKS AL2023 AMI) records which manager owns each interface name; multus-eni"
                    + " records its names there as its own (nothing is written where the directory is absent)."
                    + " Default: ${DEFAULT-VALUE}")
    String nodeadmCacheDir;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/run/multus-eni",
            description = "Where state.json goes. Default: ${DEFAULT-VALUE}")
    String stateDir;

    @Option(names = "--dry-run", description = "Log every change it would make and make none (EC2 calls are"
            + " sent with DryRun=true, which checks permissions).")
    boolean dryRun;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "error, warn, info or debug: how much multus-eni says of its own work (read at start)."
                    + " The AWS SDK and the Kubernetes client log warnings only, at every level, so no request,"
                    + " credential or token is ever printed. Default: ${DEFAULT-VALUE}")
    String logLevel;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "60s",
            description = "How often run checks what it holds (from IMDS, no EC2 call) and the node label;"
                    + " jittered. Default: ${DEFAULT-VALUE}")
    String interval;

    @Option(names = "--standby-min", paramLabel = "DURATION", defaultValue = "10s",
            description = "Without an ENI, the first wait before looking again; it doubles after each look."
                    + " Default: ${DEFAULT-VALUE}")
    String standbyMin;

    @Option(names = "--standby-max", paramLabel = "DURATION", defaultValue = "5m",
            description = "The longest wait between looks without an ENI (a Node in the zone losing the label"
                    + " triggers a look at once). Default: ${DEFAULT-VALUE}")
    String standbyMax;

    @Option(names = "--metrics-file", paramLabel = "FILE",
            description = "Write Prometheus metrics here after every check (node_exporter's textfile collector).")
    String metricsFile;

    @Option(names = "--no-kube", description = "Leave Kubernetes alone: no node label (for hosts that only want the ENI).")
    boolean noKube;

    @Option(names = "--node-label", paramLabel = "KEY=VALUE", defaultValue = "cluster.custom.tags/multus-attached=true",
            description = "Label put on this Node while it holds the ENI, its interface on the host or in a pod."
                    + " Default: ${DEFAULT-VALUE}")
    String nodeLabel;

    @Option(names = "--kubeconfig", paramLabel = "FILE", defaultValue = "/var/lib/kubelet/kubeconfig",
            description = "The node's own kubeconfig (exec plugins are run). Default: ${DEFAULT-VALUE}")
    String kubeconfig;

    @Option(names = "--kube-auth", paramLabel = "MODE", defaultValue = "kubeconfig",
            description = "kubeconfig: the kubeconfig's own credentials; eks-token: sign an EKS token with the"
                    + " instance role (server and CA from --api-server/--api-ca-file or the kubeconfig)."
                    + " Default: ${DEFAULT-VALUE}")
    String kubeAuth;

    @Option(names = "--api-server", paramLabel = "URL", description = "API server URL, for --kube-auth eks-token.")
    String apiServer;

    @Option(names = "--api-ca-file", paramLabel = "FILE", description = "API server CA bundle, for --kube-auth eks-token.")
    String apiCaFile;

    @Option(names = "--node-name", paramLabel = "NAME", description = "This node's Node name. Default: by --node-name-from.")
    String nodeName;

    @Option(names = "--node-name-from", paramLabel = "SOURCE", defaultValue = "private-dns-name",
            description = "kubelet's rule when --node-name is not set: private-dns-name (IMDS local-hostname) or"
                    + " instance-id. Default: ${DEFAULT-VALUE}")
    String nodeNameFrom;

    @Option(names = "--network", paramLabel = "ID=SPEC",
            description = "A further Multus network, each held on its own; repeatable. SPEC is ';'-separated"
                    + " key=value: interface-name (required), eni-tag (required, comma-separated, placeholders as"
                    + " --eni-tag), node-label (default cluster.custom.tags/<interface-name>-attached=true),"
                    + " instance-tag (default <interface-name>-network-attached=true). Also"
                    + " MULTUS_ENI_NETWORK_<ID>=SPEC, ID upper-cased with '-' written '_'.")
    List<String> networks;

    /** @param fromVariables the networks set by MULTUS_ENI_NETWORK_* variables; a flag of the same id wins */
    Config toConfig(List<Network.Source> fromVariables) {
        Map<String, Network.Source> byId = new LinkedHashMap<>();
        fromVariables.forEach(n -> byId.put(n.id(), n));
        for (String flag : networks == null ? List.<String>of() : networks) {
            int eq = flag.indexOf('=');
            String id = eq < 0 ? flag : flag.substring(0, eq);
            byId.put(id.toLowerCase(), new Network.Source(id, eq < 0 ? "" : flag.substring(eq + 1),
                    "--network '" + flag + "'"));
        }
        return Config.validate(new Config.Raw()
                .cluster(cluster)
                .eniTags(eniTags)
                .interfaceName(interfaceName)
                .instanceTag(instanceTag)
                .nodeLabel(nodeLabel)
                .networks(List.copyOf(byId.values()))
                .bootWait(bootWait)
                .attachTimeout(attachTimeout)
                .detachTimeout(detachTimeout)
                .networkConfigDir(networkConfigDir)
                .stateDir(stateDir)
                .cniConfDir(cniConfDir)
                .nodeadmCacheDir(nodeadmCacheDir)
                .dryRun(dryRun)
                .interval(interval)
                .standbyMin(standbyMin)
                .standbyMax(standbyMax)
                .metricsFile(metricsFile)
                .noKube(noKube)
                .kubeconfig(kubeconfig)
                .kubeAuth(kubeAuth)
                .apiServer(apiServer)
                .apiCaFile(apiCaFile)
                .nodeName(nodeName)
                .nodeNameFrom(nodeNameFrom));
    }
}
