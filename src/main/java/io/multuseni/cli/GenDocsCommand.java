package io.multuseni.cli;

import io.multuseni.config.ConfigFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes the man page and the bash completion from the command model itself, so they can never
 * disagree with the program. Run by the packaging build; hidden from help.
 */
@Command(name = "gen-docs", hidden = true, description = "Write multus-eni.8 and the bash completion.")
final class GenDocsCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to write the files.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        CommandLine root = spec.root().commandLine();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("multus-eni.8"), manPage(root.getCommandSpec()), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("multus-eni.bash"), AutoComplete.bash("multus-eni", root),
                StandardCharsets.UTF_8);
        return ExitCodes.OK;
    }

    static String manPage(CommandSpec root) {
        StringBuilder m = new StringBuilder();
        m.append(".TH MULTUS-ENI 8 \"\" \"multus-eni ").append(VersionCommand.version())
                .append("\" \"System Administration\"\n");
        m.append(".SH NAME\nmultus-eni \\- ").append(roff(root.usageMessage().description()[0])).append('\n');
        m.append(".SH SYNOPSIS\n.B multus-eni\n.I command\n.RI [ options ]\n");
        m.append(".SH DESCRIPTION\n").append(roff("At boot, before kubelet, multus-eni finds a pre-created ENI tagged"
                + " for this cluster and zone, attaches it, names its interface for the Multus host-device plugin,"
                + " tags the instance and tells systemd it is ready; once the Node registers it labels it; on stop it"
                + " unlabels, detaches and untags so another node can take the ENI.")).append('\n');
        m.append(".SH COMMANDS\n");
        root.subcommands().forEach((name, sub) -> {
            CommandSpec s = sub.getCommandSpec();
            if (!s.usageMessage().hidden() && !name.equals("help")) {
                m.append(".TP\n.B ").append(name).append('\n').append(roff(String.join(" ",
                        s.usageMessage().description()))).append('\n');
            }
        });
        m.append(".SH OPTIONS\nEvery option is also read from the environment variable shown, and from the config"
                + " file; a flag wins over the environment, which wins over the file.\n");
        Set<String> variables = Main.knownVariables();
        for (OptionSpec o : root.subcommands().get("run").getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            String variable = ConfigFile.variableFor(o.longestName());
            String description = String.join(" ", o.description()).replace("${DEFAULT-VALUE}",
                    String.valueOf(o.defaultValue()));
            m.append(".TP\n.B ").append(roff(o.longestName()));
            if (!o.paramLabel().isEmpty() && o.arity().max() > 0) {
                m.append(" \\fI").append(roff(o.paramLabel())).append("\\fR");
            }
            m.append('\n').append(roff(description));
            if (variables.contains(variable)) {
                m.append(" Environment: ").append(variable).append('.');
            }
            m.append('\n');
        }
        m.append(".SH EXIT STATUS\n");
        root.usageMessage().exitCodeList().forEach((code, meaning) ->
                m.append(".TP\n.B ").append(code.trim()).append('\n').append(roff(meaning)).append('\n'));
        m.append(".SH ENVIRONMENT\n");
        for (String[] e : List.of(
                new String[] {"AWS_REGION", "overrides the region read from IMDS"},
                new String[] {"AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL", "another EC2 endpoint"},
                new String[] {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "another IMDS endpoint"},
                new String[] {"NOTIFY_SOCKET, WATCHDOG_USEC", "set by systemd for Type=notify services"},
                new String[] {"JOURNAL_STREAM", "set by systemd: log lines then carry <N> priorities"})) {
            m.append(".TP\n.B ").append(roff(e[0])).append('\n').append(roff(e[1])).append('\n');
        }
        m.append(".SH FILES\n");
        for (String[] f : List.of(
                new String[] {"/etc/multus-eni/multus-eni.conf", "the settings, MULTUS_ENI_*=value lines"},
                new String[] {"/run/multus-eni/state.json", "what this node holds"},
                new String[] {"/run/systemd/network/10-multus-eni.link, 10-multus-eni.network",
                        "name the ENI's interface and keep systemd-networkd off it"})) {
            m.append(".TP\n.I ").append(roff(f[0])).append('\n').append(roff(f[1])).append('\n');
        }
        m.append(".SH SEE ALSO\n.BR journalctl (1),\n.BR systemd.link (5),\n.BR systemd.network (5)\n");
        return m.toString();
    }

    /** Text safe for roff: backslashes escaped, hyphens as minus signs, no line starting with a control character. */
    static String roff(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
