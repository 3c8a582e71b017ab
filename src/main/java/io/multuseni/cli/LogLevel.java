package io.multuseni.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.multuseni.config.ConfigException;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-level}: how much multus-eni's own loggers say. Only ours: the libraries' stay at WARN
 * (systemd.JournalLogging), because the AWS SDK's and the HTTP clients' debug logs print request headers, and with
 * them credentials, session tokens and bearer tokens.
 */
final class LogLevel {
    static final List<String> WORDS = List.of("error", "warn", "info", "debug");

    private LogLevel() {}

    static void apply(String word) {
        String w = word == null ? "" : word.trim().toLowerCase(Locale.ROOT);
        if (!WORDS.contains(w)) {
            throw new ConfigException("--log-level '" + word + "': must be one of " + String.join(", ", WORDS));
        }
        if (!w.equals("info")) { // info is what JournalLogging sets (and what a test's own logback config overrides)
            ((Logger) LoggerFactory.getLogger("io.multuseni")).setLevel(Level.toLevel(w));
        }
    }
}
