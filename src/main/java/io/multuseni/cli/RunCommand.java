package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.reconcile.LabelLoop;
import io.multuseni.reconcile.Outcome;
import io.multuseni.systemd.Notifier;
import io.multuseni.systemd.SocketNotifier;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * The daemon: the boot phase, READY=1 to systemd (also when no ENI was free, so kubelet is never held
 * hostage), then it keeps looking until it holds one, and keeps the Node label right once the Node
 * registers; SIGTERM unlabels, releases everything and exits 0.
 */
@Command(name = "run", description = "The daemon: boot phase, READY to systemd, release on SIGTERM.")
final class RunCommand extends EniCommand {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** Extra time the stop hook grants beyond the detach timeout, for untagging and cleanup. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(15);

    @Override
    int run(Config config, Session session) throws Exception {
        Notifier notifier = SocketNotifier.fromEnvironment(main.env.get("NOTIFY_SOCKET"));
        Thread worker = Thread.currentThread();
        CountDownLatch released = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stop requested: releasing");
            worker.interrupt();
            boolean done = false;
            try {
                done = released.await(config.detachTimeout().plus(STOP_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // SIGTERM is the normal way to stop this service: once released, say so with exit 0. (Halt, not
            // exit: exit would wait for this very hook.)
            Runtime.getRuntime().halt(done ? ExitCodes.OK : ExitCodes.FAILURE);
        }, "multus-eni-stop"));
        try {
            boolean ready = false;
            while (true) {
                Outcome outcome = session.reconciler.acquire();
                String status = describe(outcome, config);
                if (!ready) {
                    notifier.ready(status);
                    ready = true;
                    // Only now: Kubernetes must never delay READY, which kubelet waits for.
                    session.labels.ifPresent(LabelLoop::start);
                } else {
                    notifier.status(status);
                }
                if (!(outcome instanceof Outcome.Holding)) {
                    log.info("{}", status); // the reconciler has already said what it holds
                }
                if (!(outcome instanceof Outcome.NoneFree)) {
                    session.labels.ifPresent(LabelLoop::kick);
                    break;
                }
            }
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException stop) {
            notifier.stopping("releasing");
            session.labels.ifPresent(LabelLoop::stopAndUnlabel);
            session.reconciler.release();
            released.countDown();
        }
        return ExitCodes.OK;
    }

    private static String describe(Outcome outcome, Config config) {
        if (outcome instanceof Outcome.Holding h) {
            return "holding " + h.status().eniId() + " as " + config.interfaceName();
        }
        if (outcome instanceof Outcome.DryRun d) {
            return "dry run: " + d.plan();
        }
        return "standby: " + ((Outcome.NoneFree) outcome).reason();
    }
}
