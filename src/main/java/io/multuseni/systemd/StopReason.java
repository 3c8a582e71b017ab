package io.multuseni.systemd;

/**
 * Why the service is being stopped. A restart ({@code systemctl restart}, {@code try-restart},
 * {@code reload-or-restart}) hands the ENI to the next process, which adopts it: nothing is released.
 * Anything else — {@code systemctl stop}, machine shutdown — releases it for another node.
 */
public interface StopReason {
    /** Outside systemd a SIGTERM is always a stop. */
    StopReason ALWAYS_STOP = () -> false;

    /** Whether the stop under way is the first half of a restart. */
    boolean restarting();
}
