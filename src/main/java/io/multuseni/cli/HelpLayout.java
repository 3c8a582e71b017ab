package io.multuseni.cli;

import io.multuseni.config.ConfigFile;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The help's text sections, laid out here rather than by picocli, whose wrapping breaks lines wherever the JDK's
 * line breaker allows: after a ':' or a '.', so "aws:eks:cluster-name" came out as "aws:" and "eks:cluster-name"
 * on two lines, and a copy and paste picked up a space. Here a line breaks only at a space; a word longer than the
 * line stays whole. Only the options a command uses are listed (the others are hidden, still accepted: the config
 * file and the environment serve every command), each with the variable that also sets it.
 */
final class HelpLayout {
    /** Where an option's or a command's description starts, as picocli lays it out. */
    private static final int DESCRIPTION_COLUMN = 29;
    /** Where an exit code's meaning starts. */
    private static final int MEANING_COLUMN = 7;
    private static final String FOOTER = "Each option with a variable can also be set as VARIABLE=value in the"
            + " environment or as a line of the config file (--config); a flag wins over the environment, the"
            + " environment over the file. Every command reads the same file and checks every setting in it, and"
            + " uses only the options listed here.";

    private HelpLayout() {}

    /** Lays out the help of the command and of each command under it. */
    static void install(CommandLine command, Set<String> variables) {
        Map<String, CommandLine.IHelpSectionRenderer> sections = command.getHelpSectionMap();
        sections.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, help -> synopsis(help.commandSpec()));
        sections.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, help -> paragraphs(help.commandSpec().usageMessage()
                .description(), help.commandSpec()));
        sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> options(help.commandSpec(), variables));
        sections.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> commands(help.commandSpec()));
        sections.put(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST, help -> exitCodes(help.commandSpec()));
        sections.put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> help.commandSpec().userObject() instanceof EniCommand
                ? String.format("%n") + wrap(FOOTER, width(help.commandSpec()), 0, 0) : "");
        command.setHelpSectionMap(sections);
        command.getSubcommands().values().forEach(sub -> install(sub, variables));
    }

    /** {@code Usage: multus-eni status [OPTION]...}: the options are listed below, once. */
    private static String synopsis(CommandSpec spec) {
        String rest = spec.subcommands().isEmpty() ? "[OPTION]..." : "[OPTION]... COMMAND";
        return spec.qualifiedName() + " " + rest + String.format("%n"); // after the heading "Usage: "
    }

    private static String paragraphs(String[] lines, CommandSpec spec) {
        return lines.length == 0 ? "" : wrap(text(lines), width(spec), 0, 0);
    }

    /** Picocli's description lines as one text; its own help command's have format specifiers for line breaks. */
    private static String text(String[] lines) {
        return String.join(" ", lines).replace("%n", " ");
    }

    private static String options(CommandSpec spec, Set<String> variables) {
        List<OptionSpec> shown = spec.options().stream().filter(o -> !o.hidden())
                .sorted(Comparator.comparing(o -> o.longestName().replaceFirst("^-+", ""))).toList();
        StringBuilder out = new StringBuilder();
        for (OptionSpec option : shown) {
            out.append(row(names(option), String.join(" ", option.renderedDescription()), DESCRIPTION_COLUMN,
                    width(spec)));
            String variable = ConfigFile.variableFor(option.longestName());
            if (variables.contains(variable)) {
                out.append(" ".repeat(DESCRIPTION_COLUMN + 2)).append("Variable: ").append(variable)
                        .append(String.format("%n"));
            }
        }
        return out.toString();
    }

    /** {@code -h, --help} or {@code     --boot-wait=DURATION}, the long names lined up. */
    private static String names(OptionSpec option) {
        String shortName = option.shortestName().startsWith("--") ? "    " : option.shortestName() + ", ";
        String label = option.arity().max() > 0 ? "=" + option.paramLabel() : "";
        return "  " + shortName + option.longestName() + label;
    }

    private static String commands(CommandSpec spec) {
        StringBuilder out = new StringBuilder();
        spec.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                out.append(row("  " + name, text(sub.getCommandSpec().usageMessage().description()),
                        DESCRIPTION_COLUMN, width(spec)));
            }
        });
        return out.toString();
    }

    private static String exitCodes(CommandSpec spec) {
        StringBuilder out = new StringBuilder();
        spec.usageMessage().exitCodeList().forEach((code, meaning) -> out.append(row("  " + code.trim(), meaning,
                MEANING_COLUMN, width(spec))));
        return out.toString();
    }

    /** A name and its text in two columns; the text starts on the next line when the name is too long. */
    private static String row(String name, String text, int column, int width) {
        String first = name.length() + 1 < column ? name + " ".repeat(column - name.length())
                : name + String.format("%n") + " ".repeat(column);
        // The lines after the first indented by two more, as picocli does.
        return first + wrap(text, width, column, column + 2).substring(column);
    }

    /**
     * The text in lines of at most {@code width} characters, broken only at spaces: the first line indented by
     * {@code indent}, the others by {@code hanging}.
     */
    static String wrap(String text, int width, int indent, int hanging) {
        StringBuilder out = new StringBuilder(" ".repeat(indent));
        int column = indent;
        boolean lineEmpty = true;
        for (String word : text.trim().split(" +")) {
            if (!lineEmpty && column + 1 + word.length() > width) {
                out.append(String.format("%n")).append(" ".repeat(hanging));
                column = hanging;
                lineEmpty = true;
            }
            if (!lineEmpty) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
            lineEmpty = false;
        }
        return out.append(String.format("%n")).toString();
    }

    private static int width(CommandSpec spec) {
        return spec.usageMessage().width();
    }
}
