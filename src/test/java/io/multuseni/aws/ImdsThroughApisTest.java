package io.multuseni.aws;

import io.multuseni.environment.Backend;

/** {@link ImdsScenarios} against the stand-ins reached only through their APIs, as the Docker tier reaches LocalStack and k3s. */
class ImdsThroughApisTest extends ImdsScenarios {
    ImdsThroughApisTest() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
