package io.multuseni.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.charset.MalformedInputException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config file, {@code /etc/multus-eni/multus-eni.conf}: the same {@code MULTUS_ENI_*=value} lines
 * systemd reads as the unit's EnvironmentFile, so one file configures both the service and a manual
 * run. Blank lines and lines starting with '#' are ignored; a value may be wrapped in quotes.
 */
public final class ConfigFile {
    private ConfigFile() {}

    /** {@code MULTUS_ENI_NETWORK_<ID>}: one further network each (see {@link Network}). */
    public static final String NETWORK_PREFIX = "MULTUS_ENI_NETWORK_";
    /** Far above any real config file (every setting with a comment is about 4 KiB). */
    static final long MAX_BYTES = 64 * 1024;
    /** How much of an offending line a problem quotes. */
    private static final int QUOTE_CHARS = 160;

    /**
     * What a config file set, with the line of each: every problem with a value from the file names it as
     * {@link #where}.
     */
    public record Contents(Path file, Map<String, String> values, Map<String, Integer> lines) {
        /** A file that sets nothing (absent, or not read for this command). */
        public static Contents none(Path file) {
            return new Contents(file, Map.of(), Map.of());
        }

        /** {@code FILE:LINE: NAME=VALUE}, how a problem with that setting begins. */
        public String where(String name) {
            return at(file, lines.get(name), quote(name + "=" + values.get(name)));
        }
    }

    /**
     * @param known the variable names the program understands; any other name is reported, so a typo
     *     cannot silently leave a default in force
     * @param required whether a missing file is an error (a file named on the command line) rather than no
     *     settings (the default file, or one named by the environment, on a node without one)
     * @return the settings, none when the file does not exist and is not required
     * @throws ConfigException each problem once, as {@code FILE:LINE: NAME=VALUE: rule}
     */
    public static Contents read(Path file, Set<String> known, boolean required) {
        List<String> lines;
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
                throw new ConfigException("config file " + file + " is " + Files.size(file) + " bytes; a config file"
                        + " is at most " + MAX_BYTES + " bytes");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new ConfigException("config file " + file + " does not exist (given with --config)");
            }
            return Contents.none(file);
        } catch (MalformedInputException e) {
            throw new ConfigException("config file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("config file " + file + ": cannot be read (" + e + ")");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        List<String> problems = new ArrayList<>();
        boolean unknown = false;
        for (int i = 0; i < lines.size(); i++) {
            // A byte-order mark some editors put first is not part of the first name.
            String line = (i == 0 ? lines.get(i).replaceFirst("^\uFEFF", "") : lines.get(i)).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add(at(file, i + 1, quote(line) + ": expected NAME=VALUE"));
                continue;
            }
            String name = line.substring(0, eq).trim();
            String value = unquote(line.substring(eq + 1).trim());
            String where = at(file, i + 1, quote(name + "=" + value));
            if (!known.contains(name) && !(name.startsWith(NETWORK_PREFIX) && name.length() > NETWORK_PREFIX.length())) {
                problems.add(where + ": unknown setting");
                unknown = true;
                continue;
            }
            if (lineOf.containsKey(name)) {
                problems.add(where + ": set again (first on line " + lineOf.get(name) + "); set it once");
                continue;
            }
            lineOf.put(name, i + 1);
            values.put(name, value);
        }
        if (unknown) {
            problems.add("known settings: " + String.join(", ", known.stream().sorted().toList()) + ", "
                    + NETWORK_PREFIX + "<ID>");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Contents(file, values, lineOf);
    }

    private static String at(Path file, int line, String text) {
        return file + ":" + line + ": " + text;
    }

    private static String quote(String text) {
        return text.length() <= QUOTE_CHARS ? text : text.substring(0, QUOTE_CHARS) + "… (" + text.length()
                + " characters)";
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** {@code --network-config-dir} ↔ {@code MULTUS_ENI_NETWORK_CONFIG_DIR}: the one naming rule. */
    public static String variableFor(String longOption) {
        return "MULTUS_ENI_" + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase();
    }
}
