package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.reconcile.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

@Command(name = "attach", description = "Run the boot phase once: adopt or attach an ENI, name its interface,"
        + " tag the instance; then exit (75 when none was free within --boot-wait).")
final class AttachCommand extends SessionCommand {
    private static final Logger log = LoggerFactory.getLogger(AttachCommand.class);

    @Override
    int run(Config config, Session session) throws Exception {
        Outcome outcome = session.reconciler.acquire();
        if (outcome instanceof Outcome.Holding h) {
            System.out.println("holding " + h.status().eniId() + " as " + h.status().interfaceName());
            return ExitCodes.OK;
        }
        if (outcome instanceof Outcome.DryRun d) {
            log.info("dry run: {}", d.plan());
            return ExitCodes.OK;
        }
        log.warn("no ENI attached: {}", ((Outcome.NoneFree) outcome).reason());
        return ExitCodes.NONE_FREE;
    }
}
