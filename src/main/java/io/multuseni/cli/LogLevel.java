package io.multuseni.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-level}: how much multus-eni's own loggers say. Only ours: the libraries' stay at WARN
 * (systemd.JournalLogging), because the AWS SDK's and the HTTP clients' debug logs print request headers, and with
 * them credentials, session tokens and bearer tokens.
 */
final class LogLevel {
    /** Whether a level other than info was set: then a reload back to info must set it again. */
    private static volatile boolean changed;

    private LogLevel() {}

    /** @param word error, warn, info or debug (checked by {@code Settings.LOG_LEVEL}) */
    static void apply(String word) {
        // info is what JournalLogging sets (and what a test's own logback config overrides)
        if (!word.equals("info") || changed) {
            ((Logger) LoggerFactory.getLogger("io.multuseni")).setLevel(Level.toLevel(word));
            changed = true;
        }
    }
}
