package io.multuseni.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file's rules: each problem named once, with its file and line, in a few words. */
class ConfigFileTest {
    private static final Set<String> KNOWN = Set.of("MULTUS_ENI_CLUSTER", "MULTUS_ENI_INTERVAL", "MULTUS_ENI_DRY_RUN");

    @TempDir
    Path tmp;

    private ConfigException problemsOf(String content) throws Exception {
        Path file = Files.writeString(tmp.resolve("multus-eni.conf"), content);
        return (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> ConfigFile.read(file, KNOWN, true));
    }

    @Test
    void everyProblemOfTheFileItselfNamesItsLineAndWhatItSays() throws Exception {
        Path file = tmp.resolve("multus-eni.conf");
        ConfigException e = problemsOf("MULTUS_ENI_INTERVAL=5s\n\nMULTUS_ENI_INTERVAL=10s\n# a comment\n"
                + "MULTUS_ENI_CLUSTR=a\n  just words\nMULTUS_ENI_DRYRUN=\"c\"\n");

        assertThat(e.problems()).containsExactly(
                file + ":3: MULTUS_ENI_INTERVAL=10s: set again (first on line 1); set it once",
                file + ":5: MULTUS_ENI_CLUSTR=a: unknown setting",
                file + ":6: just words: expected NAME=VALUE",
                file + ":7: MULTUS_ENI_DRYRUN=c: unknown setting",
                "known settings: MULTUS_ENI_CLUSTER, MULTUS_ENI_DRY_RUN, MULTUS_ENI_INTERVAL, MULTUS_ENI_NETWORK_<ID>");
    }

    @Test
    void eachValueKnowsItsLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("ok.conf"), "# settings\n\nMULTUS_ENI_CLUSTER='prod'\n");
        assertThat(ConfigFile.read(file, KNOWN, true).where("MULTUS_ENI_CLUSTER"))
                .isEqualTo(file + ":3: MULTUS_ENI_CLUSTER=prod");
    }

    @Test
    void aLongLineIsQuotedShortAndAnOversizedFileIsRefusedWhole() throws Exception {
        ConfigException e = problemsOf("x".repeat(100_000).substring(0, 60_000) + "\n");
        assertThat(e.problems()).singleElement().asString().hasSizeLessThan(300).contains("(60000 characters)");

        Path huge = Files.writeString(tmp.resolve("huge.conf"), "# padding\n".repeat(10_000));
        assertThatThrownBy(() -> ConfigFile.read(huge, KNOWN, true)).hasMessageContaining("is 100000 bytes")
                .hasMessageContaining("at most 65536 bytes");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstNameAndNonUtf8IsNamed() throws Exception {
        Path bom = Files.writeString(tmp.resolve("bom.conf"), "\uFEFFMULTUS_ENI_CLUSTER=prod\n");
        assertThat(ConfigFile.read(bom, KNOWN, true).values()).containsEntry("MULTUS_ENI_CLUSTER", "prod");

        Path latin1 = Files.write(tmp.resolve("latin1.conf"), new byte[] {'#', ' ', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> ConfigFile.read(latin1, KNOWN, true)).hasMessage("config file " + latin1
                + " is not UTF-8 text");
    }

    @Test
    void aMissingFileIsAnErrorOnlyWhereItWasAskedFor() {
        Path absent = tmp.resolve("absent.conf");
        assertThat(ConfigFile.read(absent, KNOWN, false).values()).isEmpty();
        assertThatThrownBy(() -> ConfigFile.read(absent, KNOWN, true)).hasMessage("config file " + absent
                + " does not exist (given with --config)");
    }
}
