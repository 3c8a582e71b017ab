package io.multuseni.cli;

import io.multuseni.environment.Backend;

/**
 * {@link CommandScenarios} against
 * our stand-ins: strict EC2 rules and timing, request logs; runs everywhere.
 */
class CommandOnStandInTest extends CommandScenarios {
    CommandOnStandInTest() {
        super(Backend.STAND_IN);
    }
}
