package io.multuseni.testing;

import io.multuseni.node.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Test time: sleeping advances the clock at once. Before it does, what happens "at once" on other threads
 * (the EC2 world's transitions, run with zero delay in unit tests) is let finish: by default a few real
 * milliseconds; with the world at hand, exactly until its transitions have run.
 */
public final class FakeClock extends Clock implements Sleeper {
    private volatile Instant now = Instant.parse("2026-11-26T00:00:00Z");
    private volatile Duration slept = Duration.ZERO;
    private final Runnable settle;
    /** What else happens while the code under test sleeps, at the test's fake time (no second thread). */
    private volatile Runnable meanwhile = () -> { };

    public FakeClock() {
        this(() -> {
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** @param settle waits for what happens at once on other threads, e.g. {@code world::awaitTransitions} */
    public FakeClock(Runnable settle) {
        this.settle = settle;
    }

    /** Runs {@code action} at every sleep, after the settle and before time moves on. */
    public void meanwhile(Runnable action) {
        meanwhile = action;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        settle.run();
        meanwhile.run();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
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
