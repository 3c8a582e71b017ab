package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.config.ConfigException;
import io.multuseni.config.ConfigFile;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import io.multuseni.daemon.Hangups;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "multus-eni", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = VersionCommand.class,
        description = "Attaches a pre-created, tagged ENI to this EKS node and names its interface for Multus.",
        subcommands = {RunCommand.class, AttachCommand.class, DetachCommand.class, StatusCommand.class, ClusterCommand.class,
                DoctorCommand.class,
                VersionCommand.class, GenDocsCommand.class, CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        // Every command's, for the man page; each command's help lists its own.
        exitCodeList = {"0:done", "1:runtime failure (systemd restarts the service); doctor: a check failed;"
                + " cluster: a zone with no holder or two", ExitCodes.USAGE_LINE,
                "75:attach only: no matching ENI was free within --boot-wait", ExitCodes.CONFIG_LINE})
public final class Main implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    static final String JAVA_OPTS_VARIABLE = "MULTUS_ENI_JAVA_OPTS";

    final Map<String, String> env;
    /** The command line as given, for re-reading the configuration on SIGHUP. */
    private final String[] args;

    private Main(Map<String, String> env, String[] args) {
        this.env = env;
        this.args = args;
    }

    public static void main(String[] args) {
        Hangups.install();
        System.exit(execute(args, System.getenv()));
    }

    /** Runs one command line with the given environment; returns the exit code. */
    public static int execute(String[] args, Map<String, String> env) {
        CommandLine cli;
        try {
            cli = commandLine(args, env, false);
        } catch (ConfigException e) {
            return configError(e);
        }
        EnvironmentDefaults defaults = (EnvironmentDefaults) cli.getDefaultValueProvider();
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException c) {
                return configError(attributed(c, defaults));
            }
            if (e instanceof RuntimeException) {
                log.error("{}", e.getMessage(), log.isDebugEnabled() ? e : null);
                return ExitCodes.FAILURE;
            }
            throw e;
        });
        return cli.execute(args);
    }

    static CommandLine commandLine(String[] args, Map<String, String> env, boolean fileWins) {
        CommandLine cli = new CommandLine(new Main(env, args));
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommandSpec().userObject() instanceof EniCommand command) {
                ConfigOptions.addTo(sub.getCommandSpec(), command.uses());
            }
        }
        Set<String> known = knownVariables();
        HelpLayout.install(cli, known);
        Path path = Path.of(configFileArgument(args, env));
        ConfigFile.Contents file = readsConfig(args)
                ? ConfigFile.read(path, known, configFileGiven(args)) : ConfigFile.Contents.none(path);
        checkSwitches(env, file);
        cli.setDefaultValueProvider(new EnvironmentDefaults(env, file, fileWins, known));
        return cli;
    }

    /**
     * A switch's variable must say true or false. Picocli would call anything else a usage error (exit 2,
     * which systemd retries forever) and blame a flag nobody typed; this names the variable and where it
     * was set, and is a configuration error (78).
     */
    private static final String SWITCH_RULE = "expected true or false";

    private static void checkSwitches(Map<String, String> env, ConfigFile.Contents file) {
        List<String> problems = new ArrayList<>();
        for (Setting<?> setting : Settings.ALL) {
            if (setting.kind() == Setting.Kind.SWITCH) {
                String variable = setting.variable();
                if (!isSwitch(env.get(variable))) {
                    problems.add(variable + "=" + env.get(variable) + " (in the environment): " + SWITCH_RULE);
                }
                if (!isSwitch(file.values().get(variable))) {
                    problems.add(file.where(variable) + ": " + SWITCH_RULE);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private static boolean isSwitch(String value) {
        return value == null || value.trim().equalsIgnoreCase("true") || value.trim().equalsIgnoreCase("false");
    }

    /** Help and the version never depend on the config file: they must work when it is broken. */
    private static boolean readsConfig(String[] args) {
        return !(args.length > 0 && Set.of("version", "help", "gen-docs").contains(args[0]))
                && Arrays.stream(args).noneMatch(a -> Set.of("-h", "--help", "-V", "--version").contains(a));
    }

    /**
     * The configuration as it is now: the same command line, the config file read again.
     *
     * @throws ConfigException when the file or a value breaks a rule
     */
    Config reloadConfig() {
        CommandLine cli = commandLine(args, env, true);
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        EnvironmentDefaults defaults = (EnvironmentDefaults) cli.getDefaultValueProvider();
        try {
            return ConfigOptions.toConfig(parsed.subcommand().commandSpec(), defaults.networks());
        } catch (ConfigException e) {
            throw attributed(e, defaults);
        }
    }

    private static ConfigException attributed(ConfigException e, EnvironmentDefaults defaults) {
        return new ConfigException(e.problems().stream().map(defaults::attributed).toList());
    }

    private static int configError(ConfigException e) {
        for (String problem : e.problems()) {
            log.error("configuration error: {}", problem);
        }
        return ExitCodes.CONFIG;
    }

    private static boolean configFileGiven(String[] args) {
        return Arrays.stream(args).anyMatch(a -> a.equals("--config") || a.startsWith("--config="));
    }

    /** The config file is needed before parsing (it supplies defaults), so its option is looked up by hand. */
    private static String configFileArgument(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--config=")) {
                return args[i].substring("--config=".length());
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                return args[i + 1];
            }
        }
        return env.getOrDefault("MULTUS_ENI_CONFIG", ConfigOptions.DEFAULT_CONFIG_FILE);
    }

    /**
     * The variables of the settings ({@link Settings}), and the unit's JVM options. A command's own output
     * flags (status --json) are not configuration and have none; networks are one variable each,
     * MULTUS_ENI_NETWORK_<ID> (EnvironmentDefaults.networks).
     */
    static Set<String> knownVariables() {
        Set<String> known = new HashSet<>();
        Settings.ALL.stream().filter(s -> s.kind() != Setting.Kind.EACH).forEach(s -> known.add(s.variable()));
        // Not an option: the unit puts it on the java command line; it lives in the same file.
        known.add(JAVA_OPTS_VARIABLE);
        return known;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
    }
}
