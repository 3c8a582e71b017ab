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
    private static final String ENVIRONMENT = "the environment";
    private final Map<String, String> env;
    private final ConfigFile.Contents file;
    private final boolean fileWins;
    private final Set<String> variables;
    /** For each option filled from the environment or the file: where its value came from. */
    private final Map<String, Origin> supplied = new ConcurrentHashMap<>();

    /**
     * Where a value nobody typed as a flag came from, and how a problem with it begins: {@code FILE:LINE:
     * NAME=VALUE} for the file (the value is in it already), {@code NAME (set in the environment)} for the
     * environment.
     */
    private record Origin(String where, String value, boolean inFile) {
        String attributed(String rest) {
            if (!inFile) {
                return where + rest;
            }
            String quoted = " '" + value + "'";
            String rule = rest.startsWith(quoted) ? rest.substring(quoted.length()) : rest;
            return where + (rule.startsWith(":") ? rule : ":" + rule);
        }
    }

    /** @param variables the variables there are; other options (a command's output flags) have none */
    EnvironmentDefaults(Map<String, String> env, ConfigFile.Contents file, boolean fileWins, Set<String> variables) {
        this.env = env;
        this.file = file;
        this.fileWins = fileWins;
        this.variables = variables;
    }

    /**
     * A problem with a value as the user set it: {@code --boot-wait 'soon': …} reads
     * {@code /etc/multus-eni/multus-eni.conf:7: MULTUS_ENI_BOOT_WAIT=soon: …} when the value came from the file,
     * since nobody typed the flag.
     */
    String attributed(String problem) {
        for (Map.Entry<String, Origin> e : supplied.entrySet()) {
            String option = e.getKey();
            if (problem.startsWith(option + " ") || problem.startsWith(option + ":")) {
                return e.getValue().attributed(problem.substring(option.length()));
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
        for (boolean fromFile : new boolean[] {!fileWins, fileWins}) {
            Map<String, String> source = fromFile ? file.values() : env;
            source.forEach((variable, spec) -> {
                if (variable.startsWith(ConfigFile.NETWORK_PREFIX) && !variables.contains(variable)) {
                    String id = Network.idOfVariable(variable.substring(ConfigFile.NETWORK_PREFIX.length()));
                    byId.put(id, new Network.Source(id, spec, origin(variable, fromFile).where()));
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
        boolean fromFile = fileWins ? file.values().containsKey(variable) : !env.containsKey(variable);
        Origin origin = origin(variable, fromFile);
        if (origin.value() != null) {
            supplied.put(option.longestName(), origin);
        }
        return origin.value(); // null: picocli falls back to the option's built-in default
    }

    private Origin origin(String variable, boolean fromFile) {
        return fromFile
                ? new Origin(file.values().containsKey(variable) ? file.where(variable) : null,
                        file.values().get(variable), true)
                : new Origin(variable + " (set in " + ENVIRONMENT + ")", env.get(variable), false);
    }
}
