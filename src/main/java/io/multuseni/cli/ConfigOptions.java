package io.multuseni.cli;

import io.multuseni.config.Config;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every ENI command shares. Each is also read from the environment variable
 * {@code MULTUS_ENI_<NAME>} and from the config file (see {@link EnvironmentDefaults}); flags win.
 * Values are kept as text here and checked in {@link Config#validate}, so a bad value from any
 * source is a configuration error (exit 78) naming the value, never a usage error.
 */
final class ConfigOptions {
    static final String DEFAULT_CONFIG_FILE = "/etc/multus-eni/multus-eni.conf";

    @Option(names = "--config", paramLabel = "FILE", defaultValue = DEFAULT_CONFIG_FILE,
            description = "Config file of MULTUS_ENI_*=value lines (the unit's EnvironmentFile). Default: ${DEFAULT-VALUE}")
    String configFile;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "EKS cluster name. Default: the instance tag aws:eks:cluster-name, eks:cluster-name"
                    + " or kubernetes.io/cluster/<name>.")
    String cluster;

    @Option(names = "--eni-tag", paramLabel = "KEY=VALUE", split = ",",
            defaultValue = "multus=true,cluster={cluster},Zone={zone}",
            description = "Tag an ENI must carry to be selected; repeatable, replaces the default."
                    + " Placeholders {cluster} and {zone}. Default: ${DEFAULT-VALUE}")
    List<String> eniTags;

    @Option(names = "--interface-name", paramLabel = "NAME", defaultValue = "multus",
            description = "Name the ENI's interface gets (the NetworkAttachmentDefinition's device). Default: ${DEFAULT-VALUE}")
    String interfaceName;

    @Option(names = "--instance-tag", paramLabel = "KEY=VALUE", defaultValue = "multus-network-attached=true",
            description = "Tag put on the instance while it holds the ENI. Default: ${DEFAULT-VALUE}")
    String instanceTag;

    @Option(names = "--boot-wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long the boot phase looks for a free ENI. Default: ${DEFAULT-VALUE}")
    String bootWait;

    @Option(names = "--attach-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long to wait for an attachment, and then for its interface. Default: ${DEFAULT-VALUE}")
    String attachTimeout;

    @Option(names = "--detach-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for a detached ENI to become available. Default: ${DEFAULT-VALUE}")
    String detachTimeout;

    @Option(names = "--network-config-dir", paramLabel = "DIR", defaultValue = "/run/systemd/network",
            description = "Where the .link and .network files go. Default: ${DEFAULT-VALUE}")
    String networkConfigDir;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/run/multus-eni",
            description = "Where state.json goes. Default: ${DEFAULT-VALUE}")
    String stateDir;

    @Option(names = "--dry-run", description = "Log every change it would make and make none (EC2 calls are"
            + " sent with DryRun=true, which checks permissions).")
    boolean dryRun;

    Config toConfig() {
        return Config.validate(new Config.Raw(cluster, eniTags, interfaceName, instanceTag, bootWait, attachTimeout,
                detachTimeout, networkConfigDir, stateDir, dryRun));
    }
}
