package io.multuseni.kube;

import io.multuseni.environment.Backend;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link KubeClientsScenarios} against
 * LocalStack and k3s through Testcontainers; skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class KubeClientsOnLocalStackAndK3sTest extends KubeClientsScenarios {
    KubeClientsOnLocalStackAndK3sTest() {
        super(Backend.LOCALSTACK_AND_K3S);
    }
}
