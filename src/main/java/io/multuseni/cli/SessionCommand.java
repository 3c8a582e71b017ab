package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.daemon.Session;
import io.multuseni.node.Wakeups;

/** A command that works through a {@link Session}: this node's identity, EC2, links and Node label. */
abstract class SessionCommand extends EniCommand {
    /** What wakes the daemon's loop early; the one-shot commands never wait on it. */
    final Wakeups wakeups = new Wakeups();

    @Override
    final int run(Config config) throws Exception {
        try (Session session = Session.open(config, main.env, wakeups)) {
            return run(config, session);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    abstract int run(Config config, Session session) throws Exception;

    /** A runtime failure (IMDS, EC2, links): logged with exit 1 unless the command says more. */
    int failed(RuntimeException e) {
        throw e;
    }
}
