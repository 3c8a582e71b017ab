package io.multuseni.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code KEY=VALUE} tag as written in configuration. Values may hold the placeholders
 * {@code {cluster}} and {@code {zone}}, filled in once the instance's identity is known.
 */
public record TagSpec(String key, String value) {
    static final List<String> PLACEHOLDERS = List.of("cluster", "zone");
    private static final Pattern BRACES = Pattern.compile("\\{([^{}]*)}");
    /** EC2's limits: keys up to 128 characters, values up to 256. */
    private static final int MAX_KEY = 128;
    private static final int MAX_VALUE = 256;

    /**
     * Parses {@code KEY=VALUE}; adds a problem naming the option and the value when it is malformed.
     *
     * @return the tag, or null when there were problems
     */
    static TagSpec parse(String option, String raw, List<String> problems) {
        int eq = raw.indexOf('=');
        if (eq < 0) {
            problems.add(option + " '" + raw + "': expected KEY=VALUE (for example multus=true)");
            return null;
        }
        String key = raw.substring(0, eq).trim();
        String value = raw.substring(eq + 1).trim();
        int before = problems.size();
        if (key.isEmpty()) {
            problems.add(option + " '" + raw + "': the tag key is empty");
        } else if (key.length() > MAX_KEY) {
            problems.add(option + " '" + raw + "': the tag key is longer than " + MAX_KEY + " characters");
        } else if (key.contains("{") || key.contains("}")) {
            problems.add(option + " '" + raw + "': placeholders are allowed in the value only, not in the key");
        }
        if (value.length() > MAX_VALUE) {
            problems.add(option + " '" + raw + "': the tag value is longer than " + MAX_VALUE + " characters");
        }
        checkPlaceholders(option, raw, value, problems);
        return problems.size() == before ? new TagSpec(key, value) : null;
    }

    private static void checkPlaceholders(String option, String raw, String value, List<String> problems) {
        Matcher m = BRACES.matcher(value);
        StringBuilder rest = new StringBuilder();
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                problems.add(option + " '" + raw + "': unknown placeholder {" + m.group(1)
                        + "}; allowed: {cluster}, {zone}");
                return;
            }
            m.appendReplacement(rest, "");
        }
        m.appendTail(rest);
        if (rest.indexOf("{") >= 0 || rest.indexOf("}") >= 0) {
            problems.add(option + " '" + raw + "': unbalanced '{' or '}'; allowed placeholders: {cluster}, {zone}");
        }
    }

    public boolean usesPlaceholder(String name) {
        return value.contains("{" + name + "}");
    }

    /** The value with every placeholder replaced. */
    public String resolve(Map<String, String> placeholders) {
        String resolved = value;
        for (Map.Entry<String, String> e : placeholders.entrySet()) {
            resolved = resolved.replace("{" + e.getKey() + "}", e.getValue());
        }
        return resolved;
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
