package io.multuseni.aws;

import io.multuseni.environment.Backend;

/**
 * {@link ImdsScenarios} against
 * our stand-ins: strict EC2 rules and timing, request logs; runs everywhere.
 */
class ImdsOnStandInTest extends ImdsScenarios {
    ImdsOnStandInTest() {
        super(Backend.STAND_IN);
    }
}
