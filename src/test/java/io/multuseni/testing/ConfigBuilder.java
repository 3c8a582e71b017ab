package io.multuseni.testing;

import io.multuseni.config.Config;
import io.multuseni.config.Network;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import java.nio.file.Path;
import java.util.List;

/**
 * Every setting at its default ({@link Settings}), with the directories under a test's temporary folder and a
 * short boot wait; a test sets what it needs: {@code b.set(Settings.INTERVAL, "10s")}.
 */
public final class ConfigBuilder {
    private final Config.Raw raw = Config.Raw.defaults();
    private List<String> networks = List.of();

    public ConfigBuilder(Path dir) {
        set(Settings.NETWORK_CONFIG_DIR, dir.resolve("network").toString());
        set(Settings.STATE_DIR, dir.resolve("state").toString());
        set(Settings.CNI_CONF_DIR, dir.resolve("cni").toString());
        set(Settings.NODEADM_CACHE_DIR, dir.resolve("nodeadm").toString());
        set(Settings.BOOT_WAIT, "5s");
    }

    /** The setting's text as a flag, variable or config-file line would give it (a switch: true or false). */
    public ConfigBuilder set(Setting<?> setting, String text) {
        raw.set(setting, text);
        return this;
    }

    /** Further networks, each {@code ID=SPEC} as {@code --network} takes it. */
    public ConfigBuilder networks(String... idSpecs) {
        networks = List.of(idSpecs);
        return this;
    }

    public Config.Raw raw() {
        return raw.networks(networks.stream().map(n -> new Network.Source(n.substring(0, n.indexOf('=')),
                n.substring(n.indexOf('=') + 1), "--network '" + n + "'")).toList());
    }

    public Config build() {
        return Config.validate(raw());
    }
}
