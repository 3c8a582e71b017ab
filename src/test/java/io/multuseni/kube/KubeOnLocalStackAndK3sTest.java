package io.multuseni.kube;

import io.multuseni.environment.Backend;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link KubeScenarios} against
 * LocalStack and k3s through Testcontainers; skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class KubeOnLocalStackAndK3sTest extends KubeScenarios {
    KubeOnLocalStackAndK3sTest() {
        super(Backend.LOCALSTACK_AND_K3S);
    }
}
