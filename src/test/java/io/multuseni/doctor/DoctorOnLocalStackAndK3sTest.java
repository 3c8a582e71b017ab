package io.multuseni.doctor;

import io.multuseni.environment.Backend;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link DoctorScenarios} against
 * LocalStack and k3s through Testcontainers; skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class DoctorOnLocalStackAndK3sTest extends DoctorScenarios {
    DoctorOnLocalStackAndK3sTest() {
        super(Backend.LOCALSTACK_AND_K3S);
    }
}
