package io.multuseni.doctor;

import io.multuseni.environment.Backend;

/**
 * {@link IamPolicyScenarios} against
 * our stand-ins used only through their APIs, as the Docker tier uses LocalStack and k3s.
 */
class IamPolicyThroughApisTest extends IamPolicyScenarios {
    IamPolicyThroughApisTest() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
