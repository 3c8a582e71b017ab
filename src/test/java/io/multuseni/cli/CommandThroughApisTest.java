package io.multuseni.cli;

import io.multuseni.environment.Backend;

/**
 * {@link CommandScenarios} against
 * our stand-ins used only through their APIs, as the Docker tier uses LocalStack and k3s.
 */
class CommandThroughApisTest extends CommandScenarios {
    CommandThroughApisTest() {
        super(Backend.APIS_OF_STAND_IN);
    }
}
