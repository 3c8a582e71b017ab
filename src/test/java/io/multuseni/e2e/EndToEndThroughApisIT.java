package io.multuseni.e2e;

import io.multuseni.environment.Backend;

/**
 * {@link EndToEndScenarios} against
 * our stand-ins used only through their APIs, as the Docker tier uses LocalStack and k3s.
 */
class EndToEndThroughApisIT extends EndToEndScenarios {
    EndToEndThroughApisIT() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
