package io.multuseni.environment;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every scenario class written once shares: a fresh {@link Environment} of its {@link Backend}
 * for each test, opened before the class's own set-up and closed after its own tear-down.
 */
public abstract class Scenarios {
    private final Backend backend;
    protected Environment env;

    protected Scenarios(Backend backend) {
        this.backend = backend;
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
