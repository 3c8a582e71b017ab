package io.multuseni.cli;

import io.multuseni.aws.AwsFailure;
import io.multuseni.config.ConfigException;
import io.multuseni.config.ConfigFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
                VersionCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:runtime failure (systemd restarts the service)", "2:usage error",
                "75:attach only: no matching ENI was free within --boot-wait",
                "78:configuration error (the unit does not restart on it)"})
public final class Main implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    final Map<String, String> env;

    private Main(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv()));
    }

    /** Runs one command line with the given environment; returns the exit code. */
    public static int execute(String[] args, Map<String, String> env) {
        CommandLine cli = new CommandLine(new Main(env));
        try {
            Path file = Path.of(configFileArgument(args, env));
            cli.setDefaultValueProvider(new EnvironmentDefaults(env, ConfigFile.read(file, knownVariables(cli))));
        } catch (ConfigException e) {
            return configError(e);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException c) {
                return configError(c);
            }
            if (e instanceof AwsFailure || e instanceof RuntimeException) {
                log.error("{}", e.getMessage(), log.isDebugEnabled() ? e : null);
                return ExitCodes.FAILURE;
            }
            throw e;
        });
        return cli.execute(args);
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

    private static Set<String> knownVariables(CommandLine cli) {
        Set<String> known = new HashSet<>();
        Map<String, CommandLine> all = new HashMap<>(cli.getSubcommands());
        all.put("", cli);
        for (CommandLine c : all.values()) {
            CommandSpec spec = c.getCommandSpec();
            for (OptionSpec o : spec.options()) {
                if (!o.usageHelp() && !o.versionHelp()) {
                    known.add(ConfigFile.variableFor(o.longestName()));
                }
            }
        }
        known.removeAll(List.of(ConfigFile.variableFor("--config")));
        return known;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
    }
}
