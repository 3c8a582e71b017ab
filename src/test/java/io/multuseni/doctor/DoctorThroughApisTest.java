package io.multuseni.doctor;

import io.multuseni.environment.Backend;

/**
 * {@link DoctorScenarios} against
 * our stand-ins used only through their APIs, as the Docker tier uses LocalStack and k3s.
 */
class DoctorThroughApisTest extends DoctorScenarios {
    DoctorThroughApisTest() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
