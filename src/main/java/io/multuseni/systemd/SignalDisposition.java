package io.multuseni.systemd;

import jnr.ffi.LibraryLoader;

/**
 * A signal's disposition as the process inherited it. A process started under {@code nohup} (or by a supervisor or
 * shell that ignores SIGHUP) inherits SIGHUP ignored, and the JVM then refuses, silently, to install a Java handler
 * for it: {@code systemctl reload}'s {@code kill -HUP} would be dropped. Setting it back to its default first lets the
 * handler be installed.
 */
public final class SignalDisposition {
    /** From {@code <signal.h>}: the default action. */
    private static final long SIG_DFL = 0;

    /** The one libc call needed; a pointer-sized handler, as {@code sighandler_t} is. */
    public interface LibC {
        long signal(int signal, long handler);
    }

    private SignalDisposition() {}

    /**
     * Sets the signal's disposition back to its default.
     *
     * @return null when done, else why not (libc not loadable, or {@code signal(2)} refused)
     */
    public static String restoreDefault(int signal) {
        try {
            LibC libc = LibraryLoader.create(LibC.class).load("c");
            long previous = libc.signal(signal, SIG_DFL);
            return previous == -1 ? "signal(" + signal + ", SIG_DFL) failed" : null;
        } catch (RuntimeException | LinkageError e) {
            return "libc could not be loaded (" + e.getMessage() + ")";
        }
    }
}
