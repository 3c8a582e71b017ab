package io.multuseni.e2e;

import io.multuseni.environment.Backend;

/** {@link EndToEndScenarios} against the stand-ins reached only through their APIs, as the Docker tier reaches LocalStack and k3s. */
class EndToEndThroughApisIT extends EndToEndScenarios {
    EndToEndThroughApisIT() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
