package io.multuseni.systemd;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How multus-eni logs, set up in code (found by logback through {@code META-INF/services}): no XML to parse
 * before the first line, which a start that kubelet waits for should not pay for. One line per event on
 * stderr (so {@code status} output on stdout stays clean for scripts); multus-eni's own loggers at INFO
 * (see {@code --log-level}), every library's at WARN — the AWS SDK's and the HTTP clients' debug logs
 * print request headers, and with them credentials and tokens.
 *
 * <p>Under journald (JOURNAL_STREAM set, as systemd sets it for a unit's stdout/stderr) a line starts with
 * the sd-daemon level prefix {@code <3>}…{@code <7>} and nothing else: journald adds its own timestamp and
 * turns the prefix into the entry's priority, so {@code journalctl -p warning} works. Elsewhere it starts
 * with a timestamp and the level name, for people reading a terminal.
 *
 * <p>Where a {@code logback-test.xml} is on the class path (the tests), logback's own configuration runs
 * instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class JournalLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (JournalLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Line layout = new Line(System.getenv("JOURNAL_STREAM") != null);
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("io.multuseni").setLevel(Level.INFO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** One event, one line: the prefix, the message with its line breaks turned to spaces, any stack after. */
    static final class Line extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                .withZone(ZoneOffset.UTC);
        private final boolean journal;

        Line(boolean journal) {
            this.journal = journal;
        }

        @Override
        public String doLayout(ILoggingEvent event) {
            Level level = event.getLevel();
            StringBuilder s = new StringBuilder(128);
            if (journal) {
                s.append('<').append(priority(level)).append('>');
            } else {
                s.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ')
                        .append(String.format("%-5s ", level));
            }
            s.append(event.getFormattedMessage().replace('\n', ' ')).append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                s.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            }
            return s.toString();
        }
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
