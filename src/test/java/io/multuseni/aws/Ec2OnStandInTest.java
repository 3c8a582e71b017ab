package io.multuseni.aws;

import io.multuseni.environment.Backend;

/**
 * {@link Ec2Scenarios} against
 * our stand-ins: strict EC2 rules and timing, request logs; runs everywhere.
 */
class Ec2OnStandInTest extends Ec2Scenarios {
    Ec2OnStandInTest() {
        super(Backend.STAND_IN);
    }
}
