package io.multuseni.kube;

import io.multuseni.environment.Backend;

/**
 * {@link KubeClientsScenarios} against
 * our stand-ins used only through their APIs, as the Docker tier uses LocalStack and k3s.
 */
class KubeClientsThroughApisTest extends KubeClientsScenarios {
    KubeClientsThroughApisTest() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
