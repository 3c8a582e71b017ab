package io.multuseni.cli;

import io.multuseni.config.ConfigFile;
import io.multuseni.config.Network;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final String firstName;
    private final String secondName;
    private final Set<String> variables;
    /** For each option filled from the environment or the file: the variable and where it was set. */
    private final Map<String, String> supplied = new ConcurrentHashMap<>();

    /**
     * @param fileName the config file's path, to say where a value came from
     * @param variables the variables there are; other options (a command's output flags) have none
     */
    EnvironmentDefaults(Map<String, String> env, Map<String, String> file, String fileName, boolean fileWins,
                        Set<String> variables) {
        this.first = fileWins ? file : env;
        this.second = fileWins ? env : file;
        this.firstName = fileWins ? fileName : "the environment";
        this.secondName = fileWins ? "the environment" : fileName;
        this.variables = variables;
    }

    /**
     * A problem with a value as the user set it: {@code --boot-wait '5': …} reads
     * {@code MULTUS_ENI_BOOT_WAIT (set in /etc/multus-eni/multus-eni.conf) '5': …} when the value came from
     * there, since nobody typed the flag.
     */
    String attributed(String problem) {
        for (Map.Entry<String, String> e : supplied.entrySet()) {
            String option = e.getKey();
            if (problem.startsWith(option + " ") || problem.startsWith(option + ":")) {
                return e.getValue() + problem.substring(option.length());
            }
        }
        return problem;
    }

    /**
     * The further networks set by {@code MULTUS_ENI_NETWORK_<ID>} variables, in the order of their ids; where
     * both sources set one, the same one wins as for every other variable.
     */
    List<Network.Source> networks() {
        Map<String, Network.Source> byId = new TreeMap<>();
        for (Map<String, String> source : List.of(second, first)) {
            String where = source == first ? firstName : secondName;
            source.forEach((variable, spec) -> {
                if (variable.startsWith(ConfigFile.NETWORK_PREFIX) && !variables.contains(variable)) {
                    String id = Network.idOfVariable(variable.substring(ConfigFile.NETWORK_PREFIX.length()));
                    byId.put(id, new Network.Source(id, spec, variable + " (set in " + where + ")"));
                }
            });
        }
        return List.copyOf(byId.values());
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
        String source = firstName;
        if (value == null) {
            value = second.get(variable);
            source = secondName;
        }
        if (value != null) {
            supplied.put(option.longestName(), variable + " (set in " + source + ")");
        }
        return value; // null: picocli falls back to the option's built-in default
    }
}
