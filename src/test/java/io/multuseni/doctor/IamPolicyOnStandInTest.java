package io.multuseni.doctor;

import io.multuseni.environment.Backend;

/**
 * {@link IamPolicyScenarios} against
 * our stand-ins: strict EC2 rules and timing, request logs; runs everywhere.
 */
class IamPolicyOnStandInTest extends IamPolicyScenarios {
    IamPolicyOnStandInTest() {
        super(Backend.STAND_IN);
    }
}
