package io.multuseni.aws;

import io.multuseni.environment.Backend;

/**
 * {@link Ec2Scenarios} against
 * our stand-ins used only through their APIs, as the Docker tier uses LocalStack and k3s.
 */
class Ec2ThroughApisTest extends Ec2Scenarios {
    Ec2ThroughApisTest() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
