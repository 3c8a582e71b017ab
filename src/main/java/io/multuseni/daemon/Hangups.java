package io.multuseni.daemon;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGHUP from the first instant of the process: the JVM's default would end it (exit 129) if a reload
 * came before the daemon is ready for one. A SIGHUP that comes early is remembered and handed to the
 * daemon once it takes over; for the other commands it is ignored.
 */
public final class Hangups {
    private static final AtomicBoolean PENDING = new AtomicBoolean();
    private static volatile Runnable handler;

    private Hangups() {}

    /** First thing in main. */
    public static void install() {
        Signal.handle(new Signal("HUP"), signal -> {
            Runnable h = handler;
            if (h == null) {
                PENDING.set(true);
            } else {
                h.run();
            }
        });
    }

    /** From now on a SIGHUP runs this, and one that came before runs it now. */
    public static void handOver(Runnable onHangup) {
        handler = onHangup;
        if (PENDING.getAndSet(false)) {
            onHangup.run();
        }
    }
}
