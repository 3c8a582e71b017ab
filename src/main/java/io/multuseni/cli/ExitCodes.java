package io.multuseni.cli;

/** The exit codes (the README's table, docs/architecture.md), which the systemd unit relies on. */
final class ExitCodes {
    static final int OK = 0;
    /** A runtime failure: systemd restarts the service. */
    static final int FAILURE = 1;
    /** Picocli's code for a command line it cannot parse. */
    static final int USAGE = 2;
    /** {@code attach} only: no matching ENI was free within --boot-wait (EX_TEMPFAIL). */
    static final int NONE_FREE = 75;
    /** A configuration value breaks a rule (EX_CONFIG): the unit does not restart on it. */
    static final int CONFIG = 78;

    /** The help's lines for the codes every command shares (annotations need constants). */
    static final String USAGE_LINE = "2:usage error";
    static final String CONFIG_LINE = "78:configuration error (the unit does not restart on it)";

    private ExitCodes() {}
}
