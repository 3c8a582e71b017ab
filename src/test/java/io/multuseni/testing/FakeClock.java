package io.multuseni.testing;

import io.multuseni.node.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Test time: sleeping advances the clock at once. Each sleep also yields a few real milliseconds so
 * the EC2 world's transition timers (run with zero delay in unit tests) get to run.
 */
public final class FakeClock extends Clock implements Sleeper {
    private volatile Instant now = Instant.parse("2026-11-26T00:00:00Z");
    private volatile Duration slept = Duration.ZERO;

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(3);
        now = now.plus(duration);
        slept = slept.plus(duration);
    }

    public Duration slept() {
        return slept;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
