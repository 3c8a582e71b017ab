package io.multuseni.cli;

import io.multuseni.cluster.ClusterView;
import io.multuseni.config.Config;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import io.multuseni.json.Json;
import io.multuseni.kube.KubeClients;
import io.multuseni.kube.Nodes;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Who holds each network's ENI in each zone, from the Nodes: runs on a node (its own kubeconfig) or on
 * an admin's machine ({@code --kubeconfig ~/.kube/config}), with the same networks configured. No AWS call.
 */
@Command(name = "cluster", description = "Show, per network and zone, which Node holds the ENI (with its ENI and"
        + " IP) and which stand by, from the Nodes' labels and annotations; exit 1 when a zone of a network has no"
        + " holder or two. Uses --kubeconfig's own credentials (the node's by default, or an admin's).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every zone of every network has one holder",
                "1:a zone with no holder or two, or the API server could not be read", ExitCodes.USAGE_LINE,
                ExitCodes.CONFIG_LINE})
final class ClusterCommand extends EniCommand {
    @Option(names = "--json", description = "Print one JSON object: ok, and a row per network and zone.")
    boolean json;

    /** The Nodes' labels, read with the kubeconfig's own credentials. */
    @Override
    List<Setting<?>> uses() {
        return List.of(Settings.INTERFACE_NAME, Settings.NETWORK, Settings.NODE_LABEL, Settings.KUBECONFIG,
                Settings.LOG_LEVEL);
    }

    @Override
    int run(Config config) {
        ClusterView view;
        // The kubeconfig's own credentials (an admin's, or kubelet's exec plugin): no instance role needed.
        Config.Kube kube = new Config.Kube(true, config.kube().kubeconfig(), Config.KubeAuth.KUBECONFIG,
                config.kube().apiServer(), config.kube().apiCaFile(), config.kube().nodeName(),
                config.kube().nodeNameFrom());
        try (Nodes nodes = KubeClients.nodes(kube, config.get(Settings.CLUSTER).orElse(""), "", true)) {
            view = ClusterView.of(config.networks(), nodes.list());
        } catch (RuntimeException e) {
            if (!json) {
                throw e;
            }
            LoggerFactory.getLogger(ClusterCommand.class).error("{}", e.getMessage());
            System.out.println(Json.object(Map.of("error", String.valueOf(e.getMessage()))));
            return ExitCodes.FAILURE;
        }
        System.out.print(json ? view.toJson() + "\n" : view.toText());
        return view.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
