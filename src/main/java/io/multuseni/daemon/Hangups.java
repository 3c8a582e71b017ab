package io.multuseni.daemon;

import io.multuseni.systemd.SignalDisposition;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP from the first instant of the process: the JVM's default would end it (exit 129) if a reload
 * came before the daemon is ready for one. A SIGHUP that comes early is remembered and handed to the
 * daemon once it takes over; for the other commands it is ignored.
 *
 * <p>Inherited ignored ({@code nohup}, some supervisors and CI shells), SIGHUP gets no handler from the JVM, which
 * says so only by answering that the old handler was "ignore". Its default is then restored and the handler installed
 * again, so a reload by signal works however the daemon was started; where that fails, the daemon says so at start.
 */
public final class Hangups {
    private static final Logger log = LoggerFactory.getLogger(Hangups.class);
    private static final AtomicBoolean PENDING = new AtomicBoolean();
    private static volatile Runnable handler;
    /** Why no SIGHUP reaches the handler, or null when one does. */
    private static volatile String unheard;

    private Hangups() {}

    /** First thing in main. */
    public static void install() {
        Signal hup = new Signal("HUP");
        SignalHandler onHup = signal -> {
            Runnable h = handler;
            if (h == null) {
                PENDING.set(true);
            } else {
                h.run();
            }
        };
        if (Signal.handle(hup, onHup) != SignalHandler.SIG_IGN) {
            return;
        }
        String failed = SignalDisposition.restoreDefault(hup.getNumber());
        if (failed != null) {
            unheard = "SIGHUP was ignored when the process started and its default could not be restored: " + failed;
        } else if (Signal.handle(hup, onHup) == SignalHandler.SIG_IGN) {
            unheard = "SIGHUP is ignored by the process (inherited) and the JVM would not handle it";
        }
    }

    /**
     * From now on a SIGHUP runs this, and one that came before runs it now. Says at start when no SIGHUP can come,
     * so a reload that never happens is not a mystery.
     */
    public static void handOver(Runnable onHangup) {
        if (unheard != null) {
            log.warn("{}: a reload by signal (systemctl reload, kill -HUP) will not work; restart to apply a change",
                    unheard);
        }
        handler = onHangup;
        if (PENDING.getAndSet(false)) {
            onHangup.run();
        }
    }
}
