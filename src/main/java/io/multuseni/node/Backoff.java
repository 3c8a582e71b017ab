package io.multuseni.node;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with "equal jitter": each wait is half the current step plus a random part of
 * the other half, so nodes that failed together do not retry together.
 */
public final class Backoff {
    private final Duration max;
    private final Random random;
    private Duration step;

    public Backoff(Duration first, Duration max, Random random) {
        this.step = first;
        this.max = max;
        this.random = random;
    }

    public Duration next() {
        long half = step.toMillis() / 2;
        Duration wait = Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
        Duration doubled = step.multipliedBy(2);
        step = doubled.compareTo(max) > 0 ? max : doubled;
        return wait;
    }
}
