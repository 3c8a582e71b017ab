package io.multuseni.testing;

import io.multuseni.config.Config;
import io.multuseni.config.Network;
import java.nio.file.Path;
import java.util.List;

/** The default configuration with the directories under a test's temporary folder; change what a test needs. */
public final class ConfigBuilder {
    public String cluster;
    public List<String> eniTags = List.of("multus=true", "cluster={cluster}", "Zone={zone}");
    public String interfaceName = "multus";
    public String instanceTag = "multus-network-attached=true";
    public String bootWait = "5s";
    public String attachTimeout = "30s";
    public String detachTimeout = "60s";
    public String networkConfigDir;
    public String stateDir;
    public String cniConfDir;
    public String nodeadmCacheDir;
    public boolean dryRun;
    public String interval = "60s";
    public String standbyMin = "10s";
    public String standbyMax = "5m";
    public String metricsFile;
    public boolean noKube;
    public String nodeLabel = "cluster.custom.tags/multus-attached=true";
    public String kubeconfig = "/var/lib/kubelet/kubeconfig";
    public String kubeAuth = "kubeconfig";
    public String apiServer;
    public String apiCaFile;
    public String nodeName;
    public String nodeNameFrom = "private-dns-name";

    public ConfigBuilder(Path dir) {
        networkConfigDir = dir.resolve("network").toString();
        stateDir = dir.resolve("state").toString();
        cniConfDir = dir.resolve("cni").toString();
        nodeadmCacheDir = dir.resolve("nodeadm").toString();
    }

    /** Further networks, each {@code ID=SPEC} as {@code --network} takes it. */
    public List<String> networks = List.of();

    public Config.Raw raw() {
        return new Config.Raw().cluster(cluster).eniTags(eniTags).interfaceName(interfaceName).instanceTag(instanceTag)
                .nodeLabel(nodeLabel).bootWait(bootWait).attachTimeout(attachTimeout).detachTimeout(detachTimeout)
                .networkConfigDir(networkConfigDir).stateDir(stateDir).cniConfDir(cniConfDir).nodeadmCacheDir(nodeadmCacheDir).dryRun(dryRun).interval(interval)
                .standbyMin(standbyMin).standbyMax(standbyMax).metricsFile(metricsFile).noKube(noKube)
                .kubeconfig(kubeconfig).kubeAuth(kubeAuth).apiServer(apiServer).apiCaFile(apiCaFile).nodeName(nodeName)
                .nodeNameFrom(nodeNameFrom).networks(networks.stream().map(n -> new Network.Source(
                        n.substring(0, n.indexOf('=')), n.substring(n.indexOf('=') + 1), "--network '" + n + "'"))
                        .toList());
    }

    public Config build() {
        return Config.validate(raw());
    }
}
