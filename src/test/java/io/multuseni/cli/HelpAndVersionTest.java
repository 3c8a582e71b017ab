package io.multuseni.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
