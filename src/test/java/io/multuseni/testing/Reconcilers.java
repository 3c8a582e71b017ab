package io.multuseni.testing;

import io.multuseni.aws.Ec2;
import io.multuseni.aws.Imds;
import io.multuseni.config.Config;
import io.multuseni.eni.EniReconciler;
import io.multuseni.net.Links;
import io.multuseni.node.NodeContext;
import io.multuseni.node.Sleeper;
import java.time.Clock;
import java.util.List;
import java.util.Random;

/** One reconciler per configured network, wired as the daemon wires them, over the edges a test gives. */
public final class Reconcilers {
    private Reconcilers() {}

    public static List<EniReconciler> of(Ec2 ec2, Imds imds, Links links, Config config, NodeContext node, Clock clock,
                                         Sleeper sleeper, Random random) {
        return config.networks().stream()
                .map(n -> EniReconciler.of(ec2, imds, links, config, node, n, clock, sleeper, random)).toList();
    }
}
