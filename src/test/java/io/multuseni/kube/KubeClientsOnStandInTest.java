package io.multuseni.kube;

import io.multuseni.environment.Backend;

/**
 * {@link KubeClientsScenarios} against
 * our stand-ins: strict EC2 rules and timing, request logs; runs everywhere.
 */
class KubeClientsOnStandInTest extends KubeClientsScenarios {
    KubeClientsOnStandInTest() {
        super(Backend.STAND_IN);
    }
}
