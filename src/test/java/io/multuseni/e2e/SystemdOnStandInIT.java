package io.multuseni.e2e;

import io.multuseni.environment.Backend;

/**
 * {@link SystemdScenarios} against
 * our stand-ins: strict EC2 rules and timing, request logs; runs everywhere.
 */
class SystemdOnStandInIT extends SystemdScenarios {
    SystemdOnStandInIT() {
        super(Backend.STAND_IN);
    }
}
