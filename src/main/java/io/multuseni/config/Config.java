package io.multuseni.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated configuration. Built only through {@link #validate(Raw)}, so a {@code Config} in hand
 * is always within the rules; every broken rule is reported at once, naming the option and value.
 */
public record Config(
        Optional<String> cluster,
        List<TagSpec> eniTags,
        String interfaceName,
        TagSpec instanceTag,
        Duration bootWait,
        Duration attachTimeout,
        Duration detachTimeout,
        Path networkConfigDir,
        Path stateDir,
        boolean dryRun) {

    /** EKS cluster names: 1–100 characters, a letter or digit first, then letters, digits, '-' and '_'. */
    private static final Pattern CLUSTER = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");
    /** The kernel's IFNAMSIZ is 16 bytes including the terminating NUL. */
    private static final int MAX_INTERFACE_NAME_BYTES = 15;

    /** Option values as given (flag, environment, config file or default), before any checking. */
    public record Raw(
            String cluster,
            List<String> eniTags,
            String interfaceName,
            String instanceTag,
            String bootWait,
            String attachTimeout,
            String detachTimeout,
            String networkConfigDir,
            String stateDir,
            boolean dryRun) {}

    public static Config validate(Raw raw) {
        List<String> problems = new ArrayList<>();
        Optional<String> cluster = Optional.ofNullable(raw.cluster()).map(String::trim).filter(s -> !s.isEmpty());
        cluster.filter(c -> !CLUSTER.matcher(c).matches()).ifPresent(c -> problems.add("--cluster '" + c
                + "': an EKS cluster name is 1-100 letters, digits, '-' or '_', starting with a letter or digit"));

        List<TagSpec> eniTags = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (String rawTag : raw.eniTags() == null ? List.<String>of() : raw.eniTags()) {
            TagSpec tag = TagSpec.parse("--eni-tag", rawTag, problems);
            if (tag != null && !keys.add(tag.key())) {
                problems.add("--eni-tag '" + rawTag + "': the key '" + tag.key() + "' is given twice");
            } else if (tag != null) {
                eniTags.add(tag);
            }
        }
        if (eniTags.isEmpty() && problems.isEmpty()) {
            problems.add("--eni-tag: at least one KEY=VALUE is needed, or every ENI in the zone would match");
        }

        String name = raw.interfaceName() == null ? "" : raw.interfaceName();
        checkInterfaceName(name, problems);

        TagSpec instanceTag = TagSpec.parse("--instance-tag", String.valueOf(raw.instanceTag()), problems);
        if (instanceTag != null && instanceTag.key().toLowerCase().startsWith("aws:")) {
            problems.add("--instance-tag '" + raw.instanceTag() + "': keys starting with 'aws:' are reserved by AWS");
        }

        Duration bootWait = Durations.parse("--boot-wait", raw.bootWait(), Duration.ZERO, Duration.ofHours(1),
                problems);
        Duration attachTimeout = Durations.parse("--attach-timeout", raw.attachTimeout(), Duration.ofSeconds(1),
                Duration.ofMinutes(15), problems);
        Duration detachTimeout = Durations.parse("--detach-timeout", raw.detachTimeout(), Duration.ofSeconds(1),
                Duration.ofMinutes(15), problems);
        Path networkConfigDir = absolutePath("--network-config-dir", raw.networkConfigDir(), problems);
        Path stateDir = absolutePath("--state-dir", raw.stateDir(), problems);

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(cluster, List.copyOf(eniTags), name, instanceTag, bootWait, attachTimeout, detachTimeout,
                networkConfigDir, stateDir, raw.dryRun());
    }

    private static void checkInterfaceName(String name, List<String> problems) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_INTERFACE_NAME_BYTES) {
            problems.add("--interface-name '" + name + "': must be 1 to " + MAX_INTERFACE_NAME_BYTES
                    + " bytes long (it is " + bytes + ")");
        } else if (name.equals(".") || name.equals("..") || name.chars().anyMatch(
                c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
            problems.add("--interface-name '" + name + "': must not be '.' or '..' nor contain '/', ':' or"
                    + " whitespace");
        }
    }

    private static Path absolutePath(String option, String raw, List<String> problems) {
        if (raw == null || raw.isBlank() || !raw.startsWith("/")) {
            problems.add(option + " '" + raw + "': must be an absolute path");
            return null;
        }
        return Path.of(raw);
    }

    /** Whether the cluster name is needed, i.e. some selector tag mentions {@code {cluster}}. */
    public boolean needsCluster() {
        return eniTags.stream().anyMatch(t -> t.usesPlaceholder("cluster"))
                || instanceTag.usesPlaceholder("cluster");
    }

    /** The effective configuration, one {@code name=value} per entry, for the log at start. */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("cluster", cluster.orElse("(from instance tags)"));
        d.put("eni-tag", eniTags.toString());
        d.put("interface-name", interfaceName);
        d.put("instance-tag", instanceTag.toString());
        d.put("boot-wait", Durations.format(bootWait));
        d.put("attach-timeout", Durations.format(attachTimeout));
        d.put("detach-timeout", Durations.format(detachTimeout));
        d.put("network-config-dir", networkConfigDir.toString());
        d.put("state-dir", stateDir.toString());
        d.put("dry-run", Boolean.toString(dryRun));
        return d;
    }
}
