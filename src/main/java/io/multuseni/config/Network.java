package io.multuseni.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Multus network a node holds an ENI for: which ENIs are its (the selector), the name its interface
 * gets (a NetworkAttachmentDefinition's {@code device}), and the Node label and instance tag that say a
 * node holds it. The default network is the one of {@code --interface-name}, {@code --eni-tag},
 * {@code --node-label} and {@code --instance-tag}; each further one is {@code --network ID=SPEC} or
 * {@code MULTUS_ENI_NETWORK_<ID>=SPEC}. Each lives on its own: attached, named, labelled, failed over and
 * released independently of the others.
 */
public record Network(String id, String interfaceName, List<TagSpec> eniTags, TagSpec instanceTag,
                      LabelSpec nodeLabel) {
    public static final String DEFAULT_ID = "default";
    /** The prefix of the Node annotations that say what a node holds, for all to see. */
    public static final String ANNOTATION_PREFIX = "multus-eni.io/";
    /**
     * Set on a Node while its daemon runs: the interface names of its networks, comma-separated. A Node that
     * runs for a network and does not hold it stands by (what {@code multus-eni cluster} shows).
     */
    public static final String RUNNING_ANNOTATION = ANNOTATION_PREFIX + "networks";
    /** Ids as they appear in file names, metrics and variable names (lower-case; '-' is '_' in a variable). */
    private static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
    /**
     * Ids that cannot be told apart from another setting's variable: MULTUS_ENI_NETWORK_CONFIG_DIR is
     * {@code --network-config-dir}.
     */
    private static final Set<String> RESERVED_IDS = Set.of(DEFAULT_ID, "config-dir");
    static final List<String> SPEC_KEYS = List.of("interface-name", "eni-tag", "node-label", "instance-tag");

    /**
     * A network as written, before any checking: {@code where} names it in a problem (the flag, or the variable
     * and where it was set).
     */
    public record Source(String id, String spec, String where) {}

    public boolean isDefault() {
        return DEFAULT_ID.equals(id);
    }

    /** {@code multus-eni.io/<interface-name>}: what the node holds for this network, as JSON, while it holds it. */
    public String annotationKey() {
        return ANNOTATION_PREFIX + interfaceName;
    }

    /** Set on a Node while it takes this network's free ENI: keeps the zone's other standbys away. */
    public String claimAnnotationKey() {
        return ANNOTATION_PREFIX + "claim-" + interfaceName;
    }

    /** A short name for logs: the interface name, which is what an operator's NetworkAttachmentDefinition says. */
    @Override
    public String toString() {
        return interfaceName;
    }

    /** {@code MULTUS_ENI_NETWORK_STORAGE_NET} ↔ id {@code storage-net}. */
    public static String idOfVariable(String suffix) {
        return suffix.toLowerCase().replace('_', '-');
    }

    /**
     * Parses one further network: SPEC is {@code ;}-separated {@code key=value} pairs. Problems name
     * {@code where} and the key; the defaults follow the interface name.
     *
     * @return null when a problem was reported
     */
    static Network parse(Source source, List<String> problems) {
        String where = source.where();
        int before = problems.size();
        String id = source.id().trim().toLowerCase();
        if (!ID.matcher(id).matches()) {
            problems.add(where + ": the network id '" + source.id() + "' must be 1-32 lower-case letters, digits or"
                    + " '-' (written '_' in a variable name), starting and ending with a letter or digit");
        } else if (RESERVED_IDS.contains(id)) {
            problems.add(where + ": the network id '" + id + "' is reserved; choose another");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : source.spec().split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
            if (eq < 0) {
                problems.add(where + ": '" + pair.trim() + "' is not key=value; the keys are "
                        + String.join(", ", SPEC_KEYS));
            } else if (!SPEC_KEYS.contains(key)) {
                problems.add(where + ": unknown key '" + key + "'; the keys are " + String.join(", ", SPEC_KEYS));
            } else if (values.put(key, pair.substring(eq + 1).trim()) != null) {
                problems.add(where + ": the key '" + key + "' is given twice");
            }
        }
        for (String required : List.of("interface-name", "eni-tag")) {
            if (!values.containsKey(required) && problems.size() == before) {
                problems.add(where + ": '" + required + "' is required, e.g. " + source.id()
                        + "=interface-name=multus-sig;eni-tag=multus=sig,cluster={cluster},Zone={zone}");
            }
        }
        if (problems.size() > before) {
            return null;
        }
        String name = values.get("interface-name");
        Config.checkInterfaceName(where + ": interface-name", name, problems);
        List<TagSpec> tags = eniTags(where + ": eni-tag", List.of(values.get("eni-tag").split(",")), problems);
        TagSpec instanceTag = instanceTag(where + ": instance-tag",
                values.getOrDefault("instance-tag", name + "-network-attached=true"), problems);
        LabelSpec label = LabelSpec.parse(where + ": node-label",
                values.getOrDefault("node-label", "cluster.custom.tags/" + name + "-attached=true"), problems);
        return problems.size() > before ? null : new Network(id, name, tags, instanceTag, label);
    }

    /** The selector's tags: at least one, each key once. */
    static List<TagSpec> eniTags(String option, List<String> raw, List<String> problems) {
        List<TagSpec> tags = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int before = problems.size();
        for (String rawTag : raw) {
            TagSpec tag = TagSpec.parse(option, rawTag.trim(), problems);
            if (tag != null && !keys.add(tag.key())) {
                problems.add(option + " '" + rawTag + "': the key '" + tag.key() + "' is given twice");
            } else if (tag != null) {
                tags.add(tag);
            }
        }
        if (tags.isEmpty() && problems.size() == before) {
            problems.add(option + ": at least one KEY=VALUE is needed, or every ENI in the zone would match");
        }
        return List.copyOf(tags);
    }

    static TagSpec instanceTag(String option, String raw, List<String> problems) {
        TagSpec tag = TagSpec.parse(option, String.valueOf(raw), problems);
        if (tag != null && tag.key().toLowerCase().startsWith("aws:")) {
            problems.add(option + " '" + raw + "': keys starting with 'aws:' are reserved by AWS");
        }
        return tag;
    }

    /**
     * Two networks conflict when they share an interface name, a Node label key or an instance tag key, or
     * when one ENI could match both selectors — then both would reach for it, and each release would undo the
     * other's work.
     */
    static void checkApart(List<Network> networks, List<String> problems) {
        for (int i = 0; i < networks.size(); i++) {
            for (int j = i + 1; j < networks.size(); j++) {
                Network a = networks.get(i);
                Network b = networks.get(j);
                String both = "networks " + a.id + " and " + b.id;
                if (a.interfaceName.equals(b.interfaceName)) {
                    problems.add(both + " both use interface-name " + a.interfaceName + "; each needs its own");
                }
                if (a.nodeLabel.key().equals(b.nodeLabel.key())) {
                    problems.add(both + " both use the node label " + a.nodeLabel.key() + "; each needs its own");
                }
                if (a.instanceTag.key().equals(b.instanceTag.key())) {
                    problems.add(both + " both use the instance tag " + a.instanceTag.key() + "; each needs its own");
                }
                if (couldOverlap(a.eniTags, b.eniTags)) {
                    problems.add(both + ": one ENI could match both selectors (" + a.eniTags + " and " + b.eniTags
                            + "); give both a tag key with different values, e.g. multus=true and multus=sig");
                }
            }
        }
    }

    /**
     * Whether one ENI could carry both sets of tags: unless some key both name has values that differ as
     * written, with no placeholder in either (a placeholder may expand to the other's value).
     */
    private static boolean couldOverlap(List<TagSpec> a, List<TagSpec> b) {
        for (TagSpec x : a) {
            for (TagSpec y : b) {
                if (x.key().equals(y.key()) && !x.value().equals(y.value()) && !x.value().contains("{")
                        && !y.value().contains("{")) {
                    return false;
                }
            }
        }
        return true;
    }
}
