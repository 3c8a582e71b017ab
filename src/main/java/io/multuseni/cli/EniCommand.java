package io.multuseni.cli;

import io.multuseni.config.Config;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command that works on this instance's ENI: checks the configuration before anything else (a bad
 * value is exit 78 with no AWS call made) and logs the effective configuration.
 */
abstract class EniCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(EniCommand.class);

    /** Read before parsing, as it supplies the other options' values (see {@code Main}); declared for the help. */
    @Option(names = "--config", paramLabel = "FILE", defaultValue = ConfigOptions.DEFAULT_CONFIG_FILE,
            description = "Config file of MULTUS_ENI_*=value lines (the unit's EnvironmentFile). Default: ${DEFAULT-VALUE}")
    String configFile;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        Config config = ConfigOptions.toConfig(spec, spec.defaultValueProvider() instanceof EnvironmentDefaults d
                ? d.networks() : List.of());
        LogLevel.apply(config.get(Settings.LOG_LEVEL));
        StringBuilder effective = new StringBuilder();
        config.describe().forEach((k, v) -> effective.append(' ').append(k).append('=').append(v));
        log.info("multus-eni {} {}:{}", VersionCommand.version(), spec.name(), effective);
        return run(config);
    }

    /** The settings this command acts on: its help lists these (the others are accepted and ignored). */
    abstract List<Setting<?>> uses();

    /** The settings of these groups ({@link Settings#SELECTION}, {@link Settings#KUBERNETES}), then these. */
    static List<Setting<?>> settings(List<List<Setting<?>>> groups, Setting<?>... more) {
        return Stream.concat(groups.stream().flatMap(List::stream), Stream.of(more)).toList();
    }

    /** Runs the command with a valid configuration. */
    abstract int run(Config config) throws Exception;
}
