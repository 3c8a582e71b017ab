package io.multuseni.e2e;

import io.multuseni.environment.Backend;

/**
 * {@link SystemdScenarios} against
 * our stand-ins used only through their APIs, as the Docker tier uses LocalStack and k3s.
 */
class SystemdThroughApisIT extends SystemdScenarios {
    SystemdThroughApisIT() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
