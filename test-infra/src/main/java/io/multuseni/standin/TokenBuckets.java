package io.multuseni.standin;

import java.util.concurrent.atomic.AtomicLong;

/**
 * EC2's request-rate limiting: a token bucket for describe calls and another for changing calls; a
 * call finding its bucket empty gets {@code RequestLimitExceeded}. Off (unlimited) until configured.
 */
public final class TokenBuckets {
    private final Bucket describe = new Bucket();
    private final Bucket mutate = new Bucket();
    private final AtomicLong throttled = new AtomicLong();

    private static final class Bucket {
        private double capacity = Double.POSITIVE_INFINITY;
        private double perSecond;
        private double tokens = Double.POSITIVE_INFINITY;
        private long lastNanos = System.nanoTime();

        synchronized void set(double capacity, double perSecond) {
            this.capacity = capacity;
            this.perSecond = perSecond;
            this.tokens = capacity;
            this.lastNanos = System.nanoTime();
        }

        synchronized boolean take() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - lastNanos) / 1e9 * perSecond);
            lastNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    /** Bucket sizes and refill rates per second, e.g. EC2's 100/20 for describes and 200/5 for changes. */
    public void limit(double describeCapacity, double describePerSecond, double mutateCapacity,
                      double mutatePerSecond) {
        describe.set(describeCapacity, describePerSecond);
        mutate.set(mutateCapacity, mutatePerSecond);
    }

    /** @throws Ec2World.Ec2Error RequestLimitExceeded when the action's bucket is empty */
    void admit(String action) {
        Bucket bucket = action.startsWith("Describe") ? describe : mutate;
        if (!bucket.take()) {
            throttled.incrementAndGet();
            throw new Ec2World.Ec2Error(503, "RequestLimitExceeded", "Request limit exceeded.");
        }
    }

    public long throttled() {
        return throttled.get();
    }
}
