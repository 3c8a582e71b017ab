package io.multuseni.aws;

import io.multuseni.environment.Backend;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link ImdsScenarios} against
 * LocalStack and k3s through Testcontainers; skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ImdsOnLocalStackAndK3sTest extends ImdsScenarios {
    ImdsOnLocalStackAndK3sTest() {
        super(Backend.LOCALSTACK_AND_K3S);
    }
}
