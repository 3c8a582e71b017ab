package io.multuseni.aws;

import io.multuseni.environment.Backend;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link Ec2Scenarios} against
 * LocalStack and k3s through Testcontainers; skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class Ec2OnLocalStackAndK3sTest extends Ec2Scenarios {
    Ec2OnLocalStackAndK3sTest() {
        super(Backend.LOCALSTACK_AND_K3S);
    }
}
