package io.multuseni.systemd;

/** systemd's service notification protocol (sd_notify): READY=1, STATUS=…, STOPPING=1. */
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

    default void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + status);
    }
}
