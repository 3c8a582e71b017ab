package io.multuseni.environment;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Skips a scenario's runs on {@link Backend#LOCALSTACK_AND_K3S} where no Docker engine answers, while its runs on
 * the other backends go on. {@code -Pdocker} switches this condition off (junit.jupiter.conditions.deactivate), so
 * a missing engine fails those runs instead.
 */
public final class DockerTier implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean onDocker = context.getTestInstance().filter(Scenarios.class::isInstance).map(Scenarios.class::cast)
                .map(s -> s.backend() == Backend.LOCALSTACK_AND_K3S).orElse(false);
        if (!onDocker || DockerClientFactory.instance().isDockerAvailable()) {
            return ConditionEvaluationResult.enabled(onDocker ? "a Docker engine answers" : "not the Docker tier");
        }
        return ConditionEvaluationResult.disabled("LocalStack + k3s: no Docker engine answers (DOCKER_HOST,"
                + " /var/run/docker.sock)");
    }
}
