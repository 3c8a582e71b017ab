package io.multuseni.kube;

import io.multuseni.environment.Backend;

/**
 * {@link KubeScenarios} against
 * our stand-ins: strict EC2 rules and timing, request logs; runs everywhere.
 */
class KubeOnStandInTest extends KubeScenarios {
    KubeOnStandInTest() {
        super(Backend.STAND_IN);
    }
}
