package io.multuseni.doctor;

import io.multuseni.environment.Backend;

/**
 * {@link DoctorScenarios} against
 * our stand-ins: strict EC2 rules and timing, request logs; runs everywhere.
 */
class DoctorOnStandInTest extends DoctorScenarios {
    DoctorOnStandInTest() {
        super(Backend.STAND_IN);
    }
}
