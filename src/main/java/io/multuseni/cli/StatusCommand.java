package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import io.multuseni.daemon.Session;
import io.multuseni.json.Json;
import io.multuseni.metrics.DaemonFile;
import io.multuseni.node.Status;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show what this instance holds for each network: ENI, MAC, addresses,"
        + " device index, attachment state, interface name, instance tag, Node label.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:could not look (IMDS, EC2 or the API server failed)", ExitCodes.USAGE_LINE,
                ExitCodes.CONFIG_LINE})
final class StatusCommand extends SessionCommand {
    @Option(names = "--json", description = "Print one JSON object (field names in the README).")
    boolean json;

    /** What is held, its Node label and the daemon's own state file. */
    @Override
    List<Setting<?>> uses() {
        return settings(List.of(Settings.SELECTION, Settings.KUBERNETES), Settings.STATE_DIR,
                Settings.DRY_RUN, Settings.LOG_LEVEL);
    }

    @Override
    int run(Config config, Session session) {
        String daemon = new DaemonFile(config.get(Settings.STATE_DIR), config.get(Settings.DRY_RUN)).read().orElse(null);
        List<Status> all = session.reconcilers.stream().map(r -> r.status()
                .withNode(session.node.nodeName(), session.labels.flatMap(l -> l.labelled(r.network())).orElse(null))
                .withDaemon(daemon)).toList();
        System.out.print(json ? Status.toJson(all) + "\n" : Status.toText(all));
        return ExitCodes.OK;
    }

    /** A script reading {@code status --json} always gets JSON: here an object saying what failed. */
    @Override
    int failed(RuntimeException e) {
        if (!json) {
            throw e;
        }
        LoggerFactory.getLogger(StatusCommand.class).error("{}", e.getMessage());
        System.out.println(Json.object(Map.of("error", String.valueOf(e.getMessage()))));
        return ExitCodes.FAILURE;
    }
}
