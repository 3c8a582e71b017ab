package io.multuseni.node;

/**
 * Where the held ENI's interface is. While the ENI is attached its interface is either on the host,
 * named as configured, or not on the host at all because Multus' host-device plugin has moved it into
 * a pod's network namespace (which the unit's hardening rightly gives no way to look into). Both are
 * healthy and keep the Node label; only a name that cannot be fixed takes the label away: the ENI's
 * interface on the host under another name that cannot be renamed, or another interface holding the name.
 */
public enum Place {
    HOST("host", "on the host"),
    POD("pod", "not on the host: a pod has it (host-device)"),
    MISNAMED("misnamed", "not to be had under its name (it cannot be renamed, or another interface holds the name)");

    /** The word in {@code status --json}, daemon.json and the metrics. */
    public final String word;
    /** For log lines: "the interface of eni-… is …". */
    public final String description;

    Place(String word, String description) {
        this.word = word;
        this.description = description;
    }

    /** Whether the Node may carry the label while the ENI is held with its interface here. */
    public boolean labelled() {
        return this != MISNAMED;
    }
}
