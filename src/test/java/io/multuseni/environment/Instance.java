package io.multuseni.environment;

import io.multuseni.standin.HotPlug;
import io.multuseni.standin.ImdsServer;

/** A running instance of an {@link Environment}, with its IMDS and what the test can change about it. */
public interface Instance {
    String id();

    String zone();

    /** The private DNS name, which is also the Node name kubelet registers. */
    String hostname();

    ImdsServer imds();

    /** Where ENIs attached to this instance appear (a network namespace), from now on. */
    void hotPlug(HotPlug hotPlug);

    /** IMDS {@code spot/instance-action}: null for none. */
    void spotAction(String action);

    /** IMDS {@code autoscaling/target-lifecycle-state}. */
    void lifecycleState(String state);

    /** Whether IMDS shows the instance's tags (the InstanceMetadataTags option). */
    void metadataTags(boolean shown);
}
