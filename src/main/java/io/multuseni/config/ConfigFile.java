package io.multuseni.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /**
     * @param known the variable names the program understands; any other name is reported, so a typo
     *     cannot silently leave a default in force
     * @return the settings, empty when the file does not exist
     */
    public static Map<String, String> read(Path file, Set<String> known) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new ConfigException("config file " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = "config file " + file + " line " + (i + 1);
            if (eq <= 0) {
                problems.add(where + " '" + line + "': expected NAME=VALUE");
                continue;
            }
            String name = line.substring(0, eq).trim();
            if (!known.contains(name)) {
                problems.add(where + ": unknown setting '" + name + "'; known settings: " + String.join(", ",
                        known.stream().sorted().toList()));
                continue;
            }
            values.put(name, unquote(line.substring(eq + 1).trim()));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return values;
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
