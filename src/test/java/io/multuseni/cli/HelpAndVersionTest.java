package io.multuseni.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * What needs no AWS at all: help on every command, help and the version whatever state the config file is
 * in, and a switch's bad value named with where it was set.
 */
class HelpAndVersionTest {
    @TempDir
    Path tmp;

    private String run(Map<String, String> env, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute(args, env)).as(String.join(" ", args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "attach", "detach", "status", "doctor", "version"})
    void everyCommandTakesHelpFlagsEvenWithABrokenConfigFile(String command) throws Exception {
        Path broken = Files.writeString(tmp.resolve("multus-eni.conf"), "MULTUS_ENI_INTERVAL=soon\nNOT A SETTING\n");
        Map<String, String> env = Map.of("MULTUS_ENI_CONFIG", broken.toString());

        assertThat(run(env, command, "--help")).contains("Usage: multus-eni " + command);
        assertThat(run(env, command, "-h")).contains("Usage: multus-eni " + command);
        assertThat(run(env, "help", command)).contains("Usage: multus-eni " + command);
    }

    /**
     * Lines break only at spaces: every description, exit code and default is in the help with only its spaces
     * turned into line breaks. Picocli's own wrapping printed "aws:" and "eks:cluster-name" on two lines.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "run", "attach", "detach", "status", "cluster", "doctor", "version"})
    void theHelpNeverBreaksAWord(String command) {
        String help = help(command);
        String joined = help.replaceAll("\\s+", " ");
        CommandLine.Model.CommandSpec spec = spec(command);
        spec.options().stream().filter(o -> !o.hidden()).forEach(o -> assertThat(joined)
                .contains(String.join(" ", o.renderedDescription()).replaceAll("\\s+", " ")));
        spec.usageMessage().exitCodeList().values().forEach(meaning -> assertThat(joined).contains(meaning));
        assertThat(help.lines()).allSatisfy(line -> assertThat(line.length() <= 80 || !line.trim().contains(" "))
                .as("a line of at most 80 characters, or one word: " + line).isTrue());
        if (!command.isEmpty() && !command.equals("version")) {
            assertThat(help).contains("Variable: MULTUS_ENI_LOG_LEVEL");
        }
        if (help.contains("--cluster=NAME")) {
            assertThat(help).contains(" aws:eks:cluster-name,");
        }
    }

    /** Each command lists the settings it uses and no other; the others are still accepted (the file is shared). */
    @Test
    void eachCommandListsOnlyTheOptionsItUses() {
        assertThat(optionsListed("status")).contains("--state-dir", "--node-label", "--eni-tag")
                .doesNotContain("--interval", "--boot-wait", "--metrics-file", "--standby-max");
        assertThat(optionsListed("cluster")).contains("--kubeconfig", "--node-label", "--network")
                .doesNotContain("--eni-tag", "--boot-wait", "--state-dir", "--dry-run");
        assertThat(optionsListed("doctor")).contains("--cni-bin-dir", "--kubelet-config", "--nodeadm-cache-dir")
                .doesNotContain("--interval", "--standby-min", "--dry-run");
        assertThat(optionsListed("attach")).contains("--boot-wait", "--attach-timeout")
                .doesNotContain("--node-label", "--interval");
        assertThat(optionsListed("run")).containsAll(io.multuseni.config.Settings.ALL.stream()
                .map(io.multuseni.config.Setting::name).toList());
        assertThat(Main.execute(new String[] {"status", "--interval", "5s", "--help"},
                Map.of("MULTUS_ENI_CONFIG", tmp.resolve("absent.conf").toString()))).isZero();
    }

    @Test
    void eachCommandListsItsOwnExitCodes() {
        assertThat(help("doctor")).contains("  1    a check failed").doesNotContain("75");
        assertThat(help("cluster")).contains("  1    a zone with no holder or two");
        assertThat(help("attach")).contains("  75   a network found no matching ENI free within --boot-wait");
        assertThat(help("status")).doesNotContain("75");
    }

    private String help(String command) {
        Map<String, String> env = Map.of("MULTUS_ENI_CONFIG", tmp.resolve("absent.conf").toString());
        return command.isEmpty() ? run(env, "--help") : run(env, command, "--help");
    }

    private CommandLine.Model.CommandSpec spec(String command) {
        CommandLine root = Main.commandLine(new String[] {"--help"}, Map.of(), false);
        return command.isEmpty() ? root.getCommandSpec() : root.getSubcommands().get(command).getCommandSpec();
    }

    private List<String> optionsListed(String command) {
        return help(command).lines().map(String::trim).filter(l -> l.startsWith("--") || l.startsWith("-h, --"))
                .map(l -> l.replaceFirst("^-h, ", "").split("[= ]")[0]).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MULTUS_ENI_INTERVAL=soon\n", "NOT A SETTING\n"})
    void theVersionNeverReadsTheConfigFile(String content) throws Exception {
        Path broken = Files.writeString(tmp.resolve("multus-eni.conf"), content);

        assertThat(run(Map.of("MULTUS_ENI_CONFIG", broken.toString()), "version")).contains("multus-eni");
        assertThat(run(Map.of("MULTUS_ENI_CONFIG", broken.toString()), "--version")).contains("multus-eni");
    }

    @ParameterizedTest
    @ValueSource(strings = {"environment", "file"})
    void aSwitchThatIsNeitherTrueNorFalseIsAConfigurationErrorNamingWhereItWasSet(String where) throws Exception {
        Path conf = tmp.resolve("multus-eni.conf");
        Map<String, String> env = new java.util.HashMap<>(Map.of("MULTUS_ENI_CONFIG", conf.toString()));
        if (where.equals("file")) {
            Files.writeString(conf, "MULTUS_ENI_DRY_RUN=yes\n");
        } else {
            env.put("MULTUS_ENI_NO_KUBE", "1");
        }

        try (io.multuseni.testing.LogCapture log = new io.multuseni.testing.LogCapture()) {
            assertThat(Main.execute(new String[] {"status"}, env)).isEqualTo(78);
            assertThat(log.text()).contains(where.equals("file")
                    ? conf + ":1: MULTUS_ENI_DRY_RUN=yes: expected true or false"
                    : "MULTUS_ENI_NO_KUBE=1 (in the environment): expected true or false");
        }
    }

    @Test
    void aLogLevelOutsideTheFourIsAConfigurationError() {
        try (io.multuseni.testing.LogCapture log = new io.multuseni.testing.LogCapture()) {
            assertThat(Main.execute(new String[] {"status", "--log-level", "trace"},
                    Map.of("MULTUS_ENI_CONFIG", tmp.resolve("absent.conf").toString()))).isEqualTo(78);
            assertThat(log.text()).contains("--log-level 'trace': must be one of error, warn, info, debug");
        }
    }
}
