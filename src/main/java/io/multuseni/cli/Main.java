package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.config.ConfigException;
import io.multuseni.config.ConfigFile;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

@Command(name = "multus-eni", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
        description = "Attaches a pre-created, tagged ENI to this EKS node and names its interface for Multus.",
        subcommands = {RunCommand.class, AttachCommand.class, DetachCommand.class, StatusCommand.class,
                DoctorCommand.class,
                VersionCommand.class, GenDocsCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:runtime failure (systemd restarts the service)", "2:usage error",
                "75:attach only: no matching ENI was free within --boot-wait",
                "78:configuration error (the unit does not restart on it)"})
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
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException c) {
                return configError(c);
            }
            if (e instanceof RuntimeException) {
                log.error("{}", e.getMessage(), log.isDebugEnabled() ? e : null);
                return ExitCodes.FAILURE;
            }
            throw e;
        });
        return cli.execute(args);
    }

    private static CommandLine commandLine(String[] args, Map<String, String> env, boolean fileWins) {
        CommandLine cli = new CommandLine(new Main(env, args));
        Path file = Path.of(configFileArgument(args, env));
        Set<String> known = knownVariables();
        cli.setDefaultValueProvider(new EnvironmentDefaults(env, ConfigFile.read(file, known), fileWins, known));
        return cli;
    }

    /**
     * The configuration as it is now: the same command line, the config file read again.
     *
     * @throws ConfigException when the file or a value breaks a rule
     */
    Config reloadConfig() {
        CommandLine cli = commandLine(args, env, true);
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        return ((EniCommand) parsed.subcommand().commandSpec().userObject()).options.toConfig();
    }

    private static int configError(ConfigException e) {
        for (String problem : e.problems()) {
            log.error("configuration error: {}", problem);
        }
        return ExitCodes.CONFIG;
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
     * The variables of the shared ENI options ({@link ConfigOptions}), and the unit's JVM options. A
     * command's own output flags (status --json) are not configuration and have none.
     */
    static Set<String> knownVariables() {
        Set<String> known = new HashSet<>();
        for (OptionSpec o : CommandSpec.forAnnotatedObject(new ConfigOptions()).options()) {
            known.add(ConfigFile.variableFor(o.longestName()));
        }
        known.remove(ConfigFile.variableFor("--config"));
        // Not an option: the unit puts it on the java command line; it lives in the same file.
        known.add(JAVA_OPTS_VARIABLE);
        return known;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
    }
}
