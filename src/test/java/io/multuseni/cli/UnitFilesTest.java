package io.multuseni.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.config.ConfigFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped example config and unit stay true to the program. */
class UnitFilesTest {
    private static final Path SYSTEMD = Path.of(System.getProperty("basedir", "."), "systemd");

    @TempDir
    Path tmp;

    private static Set<String> knownVariables() {
        return Main.knownVariables();
    }

    @Test
    void theExampleConfigNamesEveryVariableAndNothingElse() throws Exception {
        String example = Files.readString(SYSTEMD.resolve("multus-eni.conf"));
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#(MULTUS_ENI_[A-Z_]+)=").matcher(example);
        while (m.find()) {
            named.add(m.group(1));
        }
        assertThat(named).isEqualTo(new TreeSet<>(knownVariables()));
    }

    @Test
    void theExampleConfigUncommentedIsAValidConfigFile() throws Exception {
        Path conf = tmp.resolve("multus-eni.conf");
        Files.writeString(conf, Files.readString(SYSTEMD.resolve("multus-eni.conf"))
                .replaceAll("(?m)^#(MULTUS_ENI_)", "$1"));
        Map<String, String> values = ConfigFile.read(conf, knownVariables(), true).values();
        assertThat(values).containsEntry("MULTUS_ENI_INTERFACE_NAME", "multus")
                .containsEntry("MULTUS_ENI_ENI_TAG", "multus=true,cluster={cluster},Zone={zone}");
    }

    @Test
    void theUnitsTimeoutsCoverTheDefaults() throws Exception {
        String unit = Files.readString(SYSTEMD.resolve("multus-eni.service"));
        // Start: --boot-wait 60s plus an attach and an interface wait of 30s each.
        assertThat(seconds(unit, "TimeoutStartSec")).isGreaterThan(60 + 30 + 30);
        // Stop: --detach-timeout 60s plus unlabelling and untagging.
        assertThat(seconds(unit, "TimeoutStopSec")).isGreaterThan(60);
        assertThat(unit).contains("RestartPreventExitStatus=78").contains("Type=notify")
                .contains("EnvironmentFile=-/etc/multus-eni/multus-eni.conf");
    }

    @Test
    void aStartThatKeepsFailingStopsRestartingInsteadOfStormingEc2() throws Exception {
        String unit = Files.readString(SYSTEMD.resolve("multus-eni.service"));
        String unitSection = unit.substring(unit.indexOf("[Unit]"), unit.indexOf("[Service]"));
        Matcher interval = Pattern.compile("(?m)^StartLimitIntervalSec=(\\d+)min$").matcher(unitSection);
        assertThat(interval.find()).as("StartLimitIntervalSec in [Unit]").isTrue();
        int burst = seconds(unitSection, "StartLimitBurst");
        // The limit can trigger: that many restarts, RestartSec apart, fit in its interval (each start takes longer).
        assertThat(burst * seconds(unit, "RestartSec")).isLessThan(Integer.parseInt(interval.group(1)) * 60);
        assertThat(burst).isBetween(3, 10);
    }

    private static int seconds(String unit, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=(\\d+)$").matcher(unit);
        assertThat(m.find()).as(key).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
