package io.multuseni.environment;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every scenario class written once shares: a fresh {@link Environment} of its {@link Backend}
 * for each test, opened before the class's own set-up and closed after its own tear-down. A scenario class runs
 * once per backend ({@code @ParameterizedClass(name = "{0}") @EnumSource(Backend.class)}); its runs on LocalStack
 * and k3s are skipped where no Docker engine answers ({@link DockerTier}).
 */
@ExtendWith(DockerTier.class)
public abstract class Scenarios {
    private final Backend backend;
    protected Environment env;

    protected Scenarios(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    @BeforeEach
    final void openEnvironment() {
        env = backend.newEnvironment();
    }

    @AfterEach
    final void closeEnvironment() {
        env.close();
    }
}
