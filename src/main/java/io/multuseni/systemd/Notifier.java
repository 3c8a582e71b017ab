package io.multuseni.systemd;

/** systemd's service notification protocol (sd_notify): READY=1, STATUS=…, WATCHDOG=1, RELOADING=1, STOPPING=1. */
public interface Notifier {
    /** Where no NOTIFY_SOCKET is set (run by hand, or not as Type=notify): nothing to tell. */
    Notifier NONE = message -> {};

    /** Sends one datagram of newline-separated {@code KEY=VALUE} assignments. */
    void send(String message);

    default void ready(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    default void status(String status) {
        send("STATUS=" + status);
    }

    /** The main loop is alive (systemd restarts the service when these stop within WatchdogSec). */
    default void watchdog() {
        send("WATCHDOG=1");
    }

    /** A reload began; {@link #ready} ends it. MONOTONIC_USEC is what systemd 253+ expects with it. */
    default void reloading(long monotonicMicros) {
        send("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros + "\nSTATUS=reloading the configuration");
    }

    default void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + status);
    }
}
