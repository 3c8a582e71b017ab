package io.multuseni.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A Kubernetes node label {@code [prefix/]name=value}, checked against Kubernetes' label syntax and
 * against what the NodeRestriction admission plugin lets a node set on itself.
 */
public record LabelSpec(String key, String value) {
    /** A label name, and a non-empty label value: alphanumerics at both ends, '-', '_' and '.' inside. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    /** A DNS-1123 subdomain. */
    private static final Pattern SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_NAME = 63;
    private static final int MAX_PREFIX = 253;

    static LabelSpec parse(String option, String raw, List<String> problems) {
        String where = option + " '" + raw + "': ";
        int eq = raw.indexOf('=');
        if (eq < 0) {
            problems.add(where + "expected KEY=VALUE (for example cluster.custom.tags/multus-attached=true)");
            return null;
        }
        String key = raw.substring(0, eq);
        String value = raw.substring(eq + 1);
        int before = problems.size();
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (prefix != null) {
            if (!isSubdomain(prefix)) {
                problems.add(where + "the key's prefix '" + prefix + "' must be a DNS subdomain of at most "
                        + MAX_PREFIX + " characters (lower-case letters, digits, '-' and '.')");
            } else if (prefix.equals("kubernetes.io") || prefix.endsWith(".kubernetes.io") || prefix.equals("k8s.io")
                    || prefix.endsWith(".k8s.io")) {
                problems.add(where + "NodeRestriction does not let a node set labels under " + prefix
                        + "/; use a prefix of your own");
            }
        }
        if (name.isEmpty() || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            problems.add(where + "the key's name '" + name + "' must be 1-" + MAX_NAME + " characters: letters,"
                    + " digits, '-', '_' or '.', starting and ending with a letter or digit");
        }
        if (value.length() > MAX_NAME || !value.isEmpty() && !NAME.matcher(value).matches()) {
            problems.add(where + "the value '" + value + "' must be at most " + MAX_NAME + " characters: letters,"
                    + " digits, '-', '_' or '.', starting and ending with a letter or digit");
        }
        return problems.size() == before ? new LabelSpec(key, value) : null;
    }

    /** A DNS-1123 subdomain of at most 253 characters: label prefixes and Node names. */
    static boolean isSubdomain(String s) {
        return !s.isEmpty() && s.length() <= MAX_PREFIX && SUBDOMAIN.matcher(s).matches();
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
