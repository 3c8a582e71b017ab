package io.multuseni.standin;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Errors on demand, per EC2 action: the next N calls fail, or every call fails until cleared.
 * Checked before the action runs, so a failed call changes nothing, as in EC2.
 */
public final class Faults {
    private final Map<String, Deque<Ec2World.Ec2Error>> next = new HashMap<>();
    private final Map<String, Ec2World.Ec2Error> always = new HashMap<>();
    private final Map<String, Long> latencyMillis = new HashMap<>();

    /** EC2's throttling reply to the next {@code times} calls of the action. */
    public void throttle(String action, int times) {
        failNext(action, times, new Ec2World.Ec2Error(503, "RequestLimitExceeded", "Request limit exceeded."));
    }

    /** A server error to the next {@code times} calls of the action. */
    public void serverError(String action, int times) {
        failNext(action, times, new Ec2World.Ec2Error(500, "InternalError",
                "An internal error has occurred"));
    }

    /** The action is denied by IAM from now on. */
    public void deny(String action) {
        synchronized (this) {
            always.put(action, new Ec2World.Ec2Error(403, "UnauthorizedOperation",
                    "You are not authorized to perform this operation. User: arn:aws:sts::111122223333:"
                            + "assumed-role/node/i-0 is not authorized to perform: ec2:" + action));
        }
    }

    public synchronized void failNext(String action, int times, Ec2World.Ec2Error error) {
        Deque<Ec2World.Ec2Error> queue = next.computeIfAbsent(action, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(error);
        }
    }

    /** Every call of the action takes this much longer (a slow region, a congested path). */
    public synchronized void latency(String action, long millis) {
        latencyMillis.put(action, millis);
    }

    public void check(String action) {
        long delay;
        synchronized (this) {
            delay = latencyMillis.getOrDefault(action, 0L);
        }
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failIfDue(action);
    }

    private synchronized void failIfDue(String action) {
        Ec2World.Ec2Error permanent = always.get(action);
        if (permanent != null) {
            throw permanent;
        }
        Deque<Ec2World.Ec2Error> queue = next.get(action);
        if (queue != null && !queue.isEmpty()) {
            throw queue.poll();
        }
    }
}
