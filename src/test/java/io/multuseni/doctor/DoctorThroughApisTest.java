package io.multuseni.doctor;

import io.multuseni.environment.Backend;

/** {@link DoctorScenarios} against the stand-ins reached only through their APIs, as the Docker tier reaches LocalStack and k3s. */
class DoctorThroughApisTest extends DoctorScenarios {
    DoctorThroughApisTest() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
