package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.reconcile.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show what this instance holds: ENI, MAC, device index, attachment state,"
        + " interface name, instance tag, Node label.")
final class StatusCommand extends SessionCommand {
    @Option(names = "--json", description = "Print one JSON object (field names in the README).")
    boolean json;

    @Override
    int run(Config config, Session session) {
        Status status = session.reconciler.status().withNode(session.node.nodeName(),
                session.labels.flatMap(l -> l.labelled()).orElse(null))
                .withDaemon(session.reconciler.daemonReport().orElse(null));
        System.out.print(json ? status.toJson() + "\n" : status.toText());
        return ExitCodes.OK;
    }
}
