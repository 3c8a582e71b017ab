package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.config.Network;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The settings ({@link Settings}) as options of an ENI command. Each is also read from the environment
 * variable {@code MULTUS_ENI_<NAME>} and from the config file (see {@link EnvironmentDefaults}); flags win.
 * Values are kept as text here and checked in {@link Config#validate}, so a bad value from any source is a
 * configuration error (exit 78) naming the value, never a usage error.
 */
final class ConfigOptions {
    static final String DEFAULT_CONFIG_FILE = "/etc/multus-eni/multus-eni.conf";

    private ConfigOptions() {}

    /**
     * Adds every setting to the command as an option, those it does not use hidden from its help: every command
     * reads and checks the whole config file and environment, so each accepts every setting.
     */
    static void addTo(CommandSpec command, Collection<Setting<?>> uses) {
        Settings.ALL.forEach(setting -> command.addOption(option(setting, !uses.contains(setting))));
    }

    private static OptionSpec option(Setting<?> setting, boolean hidden) {
        OptionSpec.Builder option = OptionSpec.builder(setting.name()).description(setting.help()).hidden(hidden);
        switch (setting.kind()) {
            case SWITCH -> option.type(boolean.class).arity("0");
            case VALUE -> option.type(String.class).paramLabel(setting.label()).defaultValue(setting.defaultText());
            case LIST -> option.type(List.class).auxiliaryTypes(String.class).splitRegex(",")
                    .paramLabel(setting.label()).defaultValue(setting.defaultText());
            case EACH -> option.type(List.class).auxiliaryTypes(String.class).paramLabel(setting.label());
        }
        return option.build();
    }

    /**
     * The command's settings as parsed (flag, else environment or file, else default), checked.
     *
     * @param fromVariables the networks set by MULTUS_ENI_NETWORK_* variables; a flag of the same id wins
     */
    static Config toConfig(CommandSpec command, List<Network.Source> fromVariables) {
        Config.Raw raw = new Config.Raw();
        Map<String, Network.Source> byId = new LinkedHashMap<>();
        fromVariables.forEach(n -> byId.put(n.id(), n));
        for (Setting<?> setting : Settings.ALL) {
            Object value = command.findOption(setting.name()).getValue();
            switch (setting.kind()) {
                case SWITCH, VALUE -> raw.set(setting, value == null ? null : value.toString());
                case LIST -> raw.set(setting, value == null ? null : String.join(",", items(value)));
                case EACH -> items(value).forEach(flag -> {
                    int eq = flag.indexOf('=');
                    String id = eq < 0 ? flag : flag.substring(0, eq);
                    byId.put(id.toLowerCase(), new Network.Source(id, eq < 0 ? "" : flag.substring(eq + 1),
                            setting.name() + " '" + flag + "'"));
                });
            }
        }
        return Config.validate(raw.networks(List.copyOf(byId.values())));
    }

    @SuppressWarnings("unchecked")
    private static List<String> items(Object value) {
        return value == null ? List.of() : (List<String>) value;
    }
}
