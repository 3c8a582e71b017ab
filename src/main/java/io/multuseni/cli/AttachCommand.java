package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.daemon.Session;
import io.multuseni.eni.EniReconciler;
import io.multuseni.node.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

@Command(name = "attach", description = "Run the boot phase once for every network: adopt or attach an ENI, name"
        + " its interface, tag the instance; then exit (75 when a network found none free within --boot-wait).")
final class AttachCommand extends SessionCommand {
    private static final Logger log = LoggerFactory.getLogger(AttachCommand.class);

    @Override
    int run(Config config, Session session) throws Exception {
        int exit = ExitCodes.OK;
        // One network after the other, so that their attachments never race for a device index.
        for (EniReconciler reconciler : session.reconcilers) {
            Outcome outcome = reconciler.acquire();
            if (outcome instanceof Outcome.Holding h) {
                System.out.println("holding " + h.held().eniId() + " as " + h.held().interfaceName());
            } else if (outcome instanceof Outcome.DryRun d) {
                log.info("dry run: {}", d.plan());
            } else {
                log.warn("no ENI attached for {}: {}", reconciler.network().interfaceName(),
                        ((Outcome.NoneFree) outcome).reason());
                exit = ExitCodes.NONE_FREE;
            }
        }
        return exit;
    }
}
