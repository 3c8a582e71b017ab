package io.multuseni.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting in tests on something another process or thread does: look every 50 ms until it is so, or fail saying
 * what was awaited and what was there instead. For real processes only; a test of our own code runs on a fake
 * clock and never waits.
 */
public final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {}

    /**
     * @param what what is awaited, as the failure says it: "label x set on node-a"
     * @param look what is there now
     * @param done whether that is what is awaited
     * @return what was there when it was
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> look, Predicate<? super T> done)
            throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (true) {
            T seen = look.get();
            if (done.test(seen)) {
                return seen;
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError(what + ": not within " + timeout + "; there was: " + seen);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        until(what, timeout, condition::getAsBoolean, Boolean::booleanValue);
    }
}
