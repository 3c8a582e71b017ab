package io.multuseni.cli;

import io.multuseni.config.ConfigFile;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Fills every option not given as a flag from {@code MULTUS_ENI_<NAME>} in the environment, else from
 * the config file, else its built-in default. Repeatable options take a comma-separated list.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;
    private final Map<String, String> file;

    EnvironmentDefaults(Map<String, String> env, Map<String, String> file) {
        this.env = env;
        this.file = file;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String variable = ConfigFile.variableFor(option.longestName());
        String value = env.get(variable);
        if (value == null) {
            value = file.get(variable);
        }
        return value; // null: picocli falls back to the option's built-in default
    }
}
