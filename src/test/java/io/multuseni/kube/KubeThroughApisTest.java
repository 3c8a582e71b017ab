package io.multuseni.kube;

import io.multuseni.environment.Backend;

/** {@link KubeScenarios} against the stand-ins reached only through their APIs, as the Docker tier reaches LocalStack and k3s. */
class KubeThroughApisTest extends KubeScenarios {
    KubeThroughApisTest() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
