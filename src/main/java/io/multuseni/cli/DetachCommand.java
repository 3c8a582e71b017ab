package io.multuseni.cli;

import io.multuseni.aws.Eni;
import io.multuseni.config.Config;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import io.multuseni.daemon.Session;
import io.multuseni.eni.EniReconciler;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "detach", description = "Release what this instance holds for every network: remove the Node labels"
        + " and annotations, detach the ENIs, untag the instance, remove the files. Exit 0 also when it holds"
        + " nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:released, or held nothing", "1:runtime failure", ExitCodes.USAGE_LINE,
                ExitCodes.CONFIG_LINE})
final class DetachCommand extends SessionCommand {
    /** Unlabels the Node, detaches, untags and removes the files. */
    @Override
    List<Setting<?>> uses() {
        return settings(List.of(Settings.SELECTION, Settings.KUBERNETES), Settings.DETACH_TIMEOUT,
                Settings.NETWORK_CONFIG_DIR, Settings.NODEADM_CACHE_DIR, Settings.STATE_DIR, Settings.DRY_RUN,
                Settings.LOG_LEVEL);
    }

    @Override
    int run(Config config, Session session) throws Exception {
        // Unlabel first, so the scheduler stops sending Multus pods here before the interface goes.
        session.labels.ifPresent(l -> l.stopAndUnlabel());
        List<Eni> released = new ArrayList<>();
        for (EniReconciler reconciler : session.reconcilers) {
            released.addAll(reconciler.release());
        }
        System.out.println(released.isEmpty() ? "nothing to release" : "released " + released);
        return ExitCodes.OK;
    }
}
