package io.multuseni.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting, declared once in {@link Settings}: its flag, the variable and config-file line that also set
 * it ({@link #variable()}), its default, its help, the rule its text must keep, and what a reload does when
 * it changes. The command line, the config file, the man page, {@link Config} and the tests' builder are all
 * read from this declaration.
 *
 * @param <T> the checked value ({@code config.get(setting)})
 */
public final class Setting<T> {
    /** What a reload (SIGHUP) does when the value changed. */
    public enum OnReload {
        /** The next check works with the new value. */
        APPLY,
        /**
         * The value names or places what is held (the selector, names, tags, the label, the files): the ENIs are
         * released under the old value first, then taken up under the new, so nothing is left half-held.
         */
        RELEASE
    }

    /**
     * Checks a setting's text.
     *
     * @param <T> the checked value
     */
    @FunctionalInterface
    public interface Rule<T> {
        /**
         * @param name the flag, e.g. {@code --boot-wait}, which a problem starts with
         * @param text the text as given (null where unset and without a default)
         * @return the value, or anything (null will do) after adding a problem naming the flag, the value and the
         *     rule
         */
        T check(String name, String text, List<String> problems);
    }

    private final String name;
    private final String label;
    private final String defaultText;
    private final String help;
    private final OnReload onReload;
    private final Rule<T> rule;
    private final Function<? super T, String> show;
    private final Kind kind;

    /** How a setting is given. */
    public enum Kind {
        /** {@code --name VALUE}, once. */
        VALUE,
        /** {@code --name} alone; its variable says true or false. */
        SWITCH,
        /** {@code --name A,B} or {@code --name A --name B}: the rule sees the items joined by commas. */
        LIST,
        /**
         * {@code --name ITEM}, once per item, an item possibly holding commas; in the environment and the file,
         * one variable per item, {@link #variable()} + {@code _<ID>}. The items become {@link Config#networks()}.
         */
        EACH
    }

    private Setting(String name, String label, String defaultText, String help, OnReload onReload, Rule<T> rule,
                    Function<? super T, String> show, Kind kind) {
        this.name = name;
        this.label = label;
        this.defaultText = defaultText;
        this.help = help;
        this.onReload = onReload;
        this.rule = rule;
        this.show = show;
        this.kind = kind;
    }

    /** A setting with a value ({@code --name LABEL}). */
    public static <T> Setting<T> of(String name, String label, String defaultText, OnReload onReload, String help,
                                    Rule<T> rule, Function<? super T, String> show) {
        return new Setting<>(name, label, defaultText, help, onReload, rule, show, Kind.VALUE);
    }

    /** A setting given as a list ({@link Kind#LIST}). */
    public static <T> Setting<T> list(String name, String label, String defaultText, OnReload onReload,
                                      String help, Rule<T> rule, Function<? super T, String> show) {
        return new Setting<>(name, label, defaultText, help, onReload, rule, show, Kind.LIST);
    }

    /** A switch: off unless given; its variable says true or false (checked where it is read, with its source). */
    public static Setting<Boolean> flag(String name, OnReload onReload, String help) {
        return new Setting<>(name, null, "false", help, onReload, (n, text, problems) -> Boolean.parseBoolean(
                text == null ? "false" : text.trim()), String::valueOf, Kind.SWITCH);
    }

    /**
     * A setting given once per item ({@link Kind#EACH}); {@link Config#validate} checks its items together
     * with the rest, as they must be told apart from each other.
     */
    public static Setting<Void> each(String name, String label, OnReload onReload, String help) {
        return new Setting<>(name, label, null, help, onReload, (n, text, problems) -> null, v -> null, Kind.EACH);
    }

    /** A duration between {@code min} and {@code max}, written as operators do ({@code 90s}, {@code 5m}). */
    public static Setting<Duration> duration(String name, String defaultText, Duration min, Duration max,
                                             OnReload onReload, String help) {
        return of(name, "DURATION", defaultText, onReload, help,
                (n, text, problems) -> Durations.parse(n, String.valueOf(text), min, max, problems), Durations::format);
    }

    /** One of a few words, each naming a constant. */
    public static <E extends Enum<E>> Setting<E> choice(String name, String label, String defaultText,
                                                        Class<E> type, Function<E, String> word, OnReload onReload,
                                                        String help) {
        E[] values = type.getEnumConstants();
        return of(name, label, defaultText, onReload, help, (n, text, problems) -> {
            for (E e : values) {
                if (word.apply(e).equals(text)) {
                    return e;
                }
            }
            problems.add(n + " '" + text + "': must be one of " + String.join(", ",
                    Arrays.stream(values).map(word).toList()));
            return null;
        }, word);
    }

    /**
     * A setting that may be left unset: empty when its text is missing or blank, else checked by {@code rule}.
     *
     * @param absent how the log shows it unset, e.g. {@code (from instance tags)}; null leaves it out
     */
    public static <T> Setting<Optional<T>> optional(String name, String label, String absent, OnReload onReload,
                                                   String help, Rule<T> rule) {
        return of(name, label, null, onReload, help, (n, text, problems) -> Optional.ofNullable(text)
                .map(String::trim).filter(s -> !s.isEmpty()).map(s -> rule.check(n, s, problems)),
                value -> value.map(String::valueOf).orElse(absent));
    }

    /** The flag, e.g. {@code --boot-wait}. */
    public String name() {
        return name;
    }

    /** The same setting in the environment and the config file, e.g. {@code MULTUS_ENI_BOOT_WAIT}. */
    public String variable() {
        return ConfigFile.variableFor(name);
    }

    /** What the help shows after the flag, e.g. {@code DURATION}; null for a switch. */
    public String label() {
        return label;
    }

    /** The text used when no source sets it; null when there is none. */
    public String defaultText() {
        return defaultText;
    }

    /** The help, ending with the default where there is one (a switch is off unless given). */
    public String help() {
        return defaultText == null || kind == Kind.SWITCH ? help : help + " Default: " + defaultText;
    }

    public OnReload onReload() {
        return onReload;
    }

    public Kind kind() {
        return kind;
    }

    /** The key of the start-up log line: the flag without its dashes. */
    String key() {
        return name.substring(2);
    }

    T check(String text, List<String> problems) {
        return rule.check(name, text, problems);
    }

    /** How the start-up log shows the value; null to leave it out. */
    @SuppressWarnings("unchecked")
    String show(Object value) {
        return show.apply((T) value);
    }

    @Override
    public String toString() {
        return name;
    }
}
