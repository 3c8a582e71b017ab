package io.multuseni.e2e;

import io.multuseni.environment.Backend;

/**
 * {@link EndToEndScenarios} against
 * our stand-ins: strict EC2 rules and timing, request logs; runs everywhere.
 */
class EndToEndOnStandInIT extends EndToEndScenarios {
    EndToEndOnStandInIT() {
        super(Backend.STAND_IN);
    }
}
