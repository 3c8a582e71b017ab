package io.multuseni.cli;

import io.multuseni.config.ConfigFile;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Fills every option not given as a flag from {@code MULTUS_ENI_<NAME>} in the environment, else from
 * the config file, else its built-in default. Repeatable options take a comma-separated list.
 *
 * <p>On a reload the file wins over the environment: under systemd the environment still holds what
 * the unit's EnvironmentFile said at start, and the point of the reload is the file's new values.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> first;
    private final Map<String, String> second;
    private final Set<String> variables;

    /** @param variables the variables there are; other options (a command's output flags) have none */
    EnvironmentDefaults(Map<String, String> env, Map<String, String> file, boolean fileWins, Set<String> variables) {
        this.first = fileWins ? file : env;
        this.second = fileWins ? env : file;
        this.variables = variables;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String variable = ConfigFile.variableFor(option.longestName());
        if (!variables.contains(variable)) {
            return null;
        }
        String value = first.get(variable);
        if (value == null) {
            value = second.get(variable);
        }
        return value; // null: picocli falls back to the option's built-in default
    }
}
