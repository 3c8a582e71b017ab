package io.multuseni.node;

import io.multuseni.aws.Ec2;
import io.multuseni.aws.Imds;
import io.multuseni.config.Config;
import io.multuseni.config.ConfigException;
import io.multuseni.config.Network;
import io.multuseni.config.Settings;
import io.multuseni.config.TagSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this node is: the identity from IMDS, the cluster name (from the configuration or the instance's
 * own tags), and the Node name; {@link #of(Network)} gives what it selects for a network.
 */
public record NodeContext(Imds.Identity identity, Optional<String> cluster, String nodeName) {
    private static final Logger log = LoggerFactory.getLogger(NodeContext.class);
    /** Set by CloudFormation-made, managed node group, and Karpenter instances respectively. */
    static final List<String> CLUSTER_TAGS = List.of("aws:eks:cluster-name", "eks:cluster-name",
            "eks:eks-cluster-name");
    static final String CLUSTER_TAG_PREFIX = "kubernetes.io/cluster/";

    public String instanceId() {
        return identity.instanceId();
    }

    /**
     * The cluster name, when needed and not configured, from the instance's own tags: from IMDS when the
     * instance shows its tags there (the launch template's InstanceMetadataTags; no EC2 call), else with one
     * DescribeTags ({@code kubernetes.io/cluster/<name>} is only ever there: IMDS shows no key with a '/').
     */
    public static NodeContext resolve(Config config, Imds imds, Imds.Identity identity, Ec2 ec2) {
        Optional<String> cluster = config.get(Settings.CLUSTER);
        if (cluster.isEmpty() && config.needsCluster()) {
            cluster = clusterFromImds(imds);
            if (cluster.isEmpty()) {
                cluster = clusterFromTags(ec2.instanceTags(identity.instanceId()));
                cluster.ifPresent(c -> log.info("cluster name {} taken from the tags of instance {}", c,
                        identity.instanceId()));
            }
            if (cluster.isEmpty()) {
                throw new ConfigException("no cluster name: it is needed for {cluster} or the EKS token, --cluster"
                        + " (MULTUS_ENI_CLUSTER) is not set, and instance " + identity.instanceId()
                        + " carries none of the tags " + String.join(", ", CLUSTER_TAGS) + ", "
                        + CLUSTER_TAG_PREFIX + "<name>. Set --cluster NAME, or tag the instance.");
            }
        }
        return new NodeContext(identity, cluster, nodeName(config.kube(), identity));
    }

    /** The network's selector and instance tag with their placeholders filled in for this node. */
    public NetworkContext of(Network network) {
        Map<String, String> placeholders = new LinkedHashMap<>();
        placeholders.put("zone", identity.zone());
        cluster.ifPresent(c -> placeholders.put("cluster", c));
        Map<String, String> tags = new LinkedHashMap<>();
        for (TagSpec t : network.eniTags()) {
            tags.put(t.key(), t.resolve(placeholders));
        }
        return new NetworkContext(network, new Selector(tags, identity.zone()), network.instanceTag().key(),
                network.instanceTag().resolve(placeholders));
    }

    /** kubelet's node name: as configured, else the private DNS name, or the instance id where nodes use it. */
    static String nodeName(Config.Kube kube, Imds.Identity identity) {
        if (kube.nodeName().isPresent()) {
            return kube.nodeName().get();
        }
        String name = kube.nodeNameFrom() == Config.NodeNameFrom.INSTANCE_ID ? identity.instanceId()
                : identity.localHostname();
        if (kube.enabled()) {
            log.info("node name {} (from {})", name, kube.nodeNameFrom().word);
        }
        return name;
    }

    /** The first cluster tag IMDS shows; empty when it shows none, or no instance tags at all. */
    private static Optional<String> clusterFromImds(Imds imds) {
        for (String key : CLUSTER_TAGS) {
            if (!(imds.instanceTag(key) instanceof Imds.Tag.Shown tag)) {
                return Optional.empty(); // IMDS shows no instance tags: ask EC2
            }
            Optional<String> value = tag.value().filter(v -> !v.isBlank());
            if (value.isPresent()) {
                log.info("cluster name {} taken from the instance tag {} (IMDS)", value.get(), key);
                return value;
            }
        }
        return Optional.empty();
    }

    static Optional<String> clusterFromTags(Map<String, String> tags) {
        for (String key : CLUSTER_TAGS) {
            String value = tags.get(key);
            if (value != null && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return tags.keySet().stream().filter(k -> k.startsWith(CLUSTER_TAG_PREFIX))
                .map(k -> k.substring(CLUSTER_TAG_PREFIX.length())).filter(k -> !k.isBlank()).sorted().findFirst();
    }
}
