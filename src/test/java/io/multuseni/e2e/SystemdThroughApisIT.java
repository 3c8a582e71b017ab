package io.multuseni.e2e;

import io.multuseni.environment.Backend;

/** {@link SystemdScenarios} against the stand-ins reached only through their APIs, as the Docker tier reaches LocalStack and k3s. */
class SystemdThroughApisIT extends SystemdScenarios {
    SystemdThroughApisIT() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
