package io.multuseni.aws;

import io.multuseni.environment.Backend;

/**
 * {@link ImdsScenarios} against
 * our stand-ins used only through their APIs, as the Docker tier uses LocalStack and k3s.
 */
class ImdsThroughApisTest extends ImdsScenarios {
    ImdsThroughApisTest() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
