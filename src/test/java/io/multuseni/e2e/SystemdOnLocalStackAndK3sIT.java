package io.multuseni.e2e;

import io.multuseni.environment.Backend;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link SystemdScenarios} against
 * LocalStack and k3s through Testcontainers; skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class SystemdOnLocalStackAndK3sIT extends SystemdScenarios {
    SystemdOnLocalStackAndK3sIT() {
        super(Backend.LOCALSTACK_AND_K3S);
    }
}
