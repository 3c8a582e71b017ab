package io.multuseni.node;

import java.time.Duration;

/** How the reconcile logic waits; tests substitute one that advances a fake clock instead. */
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
