package io.multuseni.systemd;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The start of every log line. Under journald (JOURNAL_STREAM set, as systemd sets it for a unit's
 * stdout/stderr) the sd-daemon level prefix {@code <3>}…{@code <7>} and nothing else — journald adds
 * its own timestamp and turns the prefix into the entry's priority, so {@code journalctl -p warning}
 * works. Elsewhere a timestamp and the level name, for people reading a terminal.
 */
public final class JournalPrefix extends ClassicConverter {
    private static final boolean JOURNAL = System.getenv("JOURNAL_STREAM") != null;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    @Override
    public String convert(ILoggingEvent event) {
        Level level = event.getLevel();
        if (JOURNAL) {
            return "<" + priority(level) + ">";
        }
        return TIME.format(Instant.ofEpochMilli(event.getTimeStamp())) + " " + String.format("%-5s ", level);
    }

    /** syslog priorities: 3 err, 4 warning, 6 info, 7 debug. */
    static int priority(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return 3;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return 4;
        }
        if (level.isGreaterOrEqual(Level.INFO)) {
            return 6;
        }
        return 7;
    }
}
