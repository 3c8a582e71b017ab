package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import io.multuseni.daemon.Session;
import io.multuseni.eni.EniReconciler;
import io.multuseni.node.Outcome;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

@Command(name = "attach", description = "Run the boot phase once for every network: adopt or attach an ENI, name"
        + " its interface, tag the instance; then exit (75 when a network found none free within --boot-wait).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every network holds an ENI", "1:runtime failure", ExitCodes.USAGE_LINE,
                "75:a network found no matching ENI free within --boot-wait", ExitCodes.CONFIG_LINE})
final class AttachCommand extends SessionCommand {
    private static final Logger log = LoggerFactory.getLogger(AttachCommand.class);

    /** The boot phase: no Node label yet (the detach timeout bounds a rollback). */
    @Override
    List<Setting<?>> uses() {
        return settings(List.of(Settings.SELECTION), Settings.BOOT_WAIT, Settings.ATTACH_TIMEOUT,
                Settings.DETACH_TIMEOUT, Settings.NETWORK_CONFIG_DIR, Settings.CNI_CONF_DIR, Settings.NODEADM_CACHE_DIR,
                Settings.STATE_DIR, Settings.DRY_RUN, Settings.LOG_LEVEL);
    }

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
