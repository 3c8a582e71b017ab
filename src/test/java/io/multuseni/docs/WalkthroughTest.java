package io.multuseni.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multuseni.cli.Main;
import io.multuseni.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * docs/walkthrough.md as a new operator follows it, top to bottom: every shell block parses, and every command in
 * it is followed as far as this machine can without AWS or a cluster. Each file it names exists where the command
 * runs; each Terraform, Packer and multus-eni command names what the repository declares; each kubectl command acts
 * on a namespace created and a file applied before it; and each command run in a pod is one its image has.
 */
class WalkthroughTest {
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final Path WALKTHROUGH = BASE.resolve("docs/walkthrough.md");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /**
     * The commands each image the examples run has. busybox: docker-library/busybox builds it with
     * {@code make defconfig} (Dockerfile-builder.template), whose applets include these; checked against this
     * machine's busybox below where it is installed.
     */
    static final Map<String, Set<String>> IMAGE_COMMANDS = Map.of(
            "public.ecr.aws/docker/library/busybox:stable", Set.of("ip", "nc", "sleep", "sh", "wget"));

    @TempDir
    Path tmp;

    /** A ```sh block of the walkthrough: the line it starts on and its text. */
    record Block(int line, String text) {}

    static List<Block> shellBlocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)```sh\\n(.*?)```").matcher(markdown);
        while (m.find()) {
            blocks.add(new Block(markdown.substring(0, m.start()).split("\n", -1).length + 1, m.group(1)));
        }
        return blocks;
    }

    /** A command's words, as the shell splits them: quotes removed, {@code # …} comments and continuations gone. */
    static List<List<String>> commands(String block) {
        List<List<String>> commands = new ArrayList<>();
        for (String line : block.replace("\\\n", " ").split("\n")) {
            List<String> words = words(line);
            if (!words.isEmpty()) {
                commands.add(words);
            }
        }
        return commands;
    }

    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c == '\\' && quote == '"' && i + 1 < line.length() ? line.charAt(++i) : c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        assertThat((int) quote).as("a quote left open in: " + line).isZero();
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    @Test
    void everyShellBlockIsOneBashParses() throws Exception {
        List<Block> blocks = shellBlocks(Files.readString(WALKTHROUGH));
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
        for (Block block : blocks) {
            Path script = tmp.resolve("block-" + block.line() + ".sh");
            Files.writeString(script, block.text());
            Process bash = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.waitFor()).as("bash -n on the block at docs/walkthrough.md:" + block.line() + ": " + out)
                    .isZero();
        }
    }

    /** What following the walkthrough has made so far: where the shell is, files copied, namespaces, manifests. */
    private static final class Follower {
        Path cwd = BASE.toAbsolutePath().normalize();
        final Set<Path> copied = new HashSet<>();
        final Set<String> namespaces = new HashSet<>();
        final Map<String, List<JsonNode>> appliedByNamespace = new HashMap<>();
        String where;

        Path file(String name) {
            Path p = cwd.resolve(name).normalize();
            assertThat(Files.exists(p) || copied.contains(p)).as(where + ": " + name + " exists in " + BASE
                    .toAbsolutePath().normalize().relativize(cwd)).isTrue();
            return p;
        }

        void follow(List<String> w) throws Exception {
            switch (w.get(0)) {
                case "cd" -> {
                    cwd = cwd.resolve(w.get(1)).normalize();
                    assertThat(cwd).as(where + ": cd into a directory of the repository").isDirectory()
                            .startsWith(BASE.toAbsolutePath().normalize());
                }
                case "cp" -> {
                    file(w.get(1));
                    copied.add(cwd.resolve(w.get(2)).normalize());
                }
                case "terraform" -> terraform(w);
                case "aws" -> aws(w);
                case "packer" -> packer(w);
                case "systemctl" -> {
                    assertThat(w.get(1)).isEqualTo("status");
                    assertThat(BASE.resolve("systemd/" + w.get(2) + ".service")).as(where + ": the unit").exists();
                }
                case "multus-eni" -> assertThat(subcommands()).as(where + ": a multus-eni command").contains(w.get(1));
                case "kubectl" -> kubectl(w);
                default -> {
                    Path script = file(w.get(0));
                    assertThat(Files.isExecutable(script)).as(where + ": " + w.get(0) + " is executable").isTrue();
                }
            }
        }

        private void terraform(List<String> w) throws Exception {
            try (Stream<Path> tf = Files.list(cwd)) {
                assertThat(tf.filter(p -> p.toString().endsWith(".tf")).toList()).as(where + ": *.tf where "
                        + "terraform runs").isNotEmpty();
            }
            assertThat(w.get(1)).as(where + ": a terraform command the walkthrough needs").isIn("init", "apply",
                    "plan");
            for (String arg : w.subList(2, w.size())) {
                assertThat(arg).as(where + ": only -var-file=…").startsWith("-var-file=");
                file(arg.substring("-var-file=".length()));
            }
        }

        private void aws(List<String> w) throws Exception {
            assertThat(w.subList(0, 3)).isEqualTo(List.of("aws", "ec2", "describe-network-interfaces"));
            assertThat(w).as(where + ": the region said").contains("--region");
            String filter = w.get(w.indexOf("--filters") + 1);
            Matcher tag = Pattern.compile("Name=tag:([^,]+),Values=(.+)").matcher(filter);
            assertThat(tag.matches()).as(where + ": " + filter).isTrue();
            assertThat(Files.readString(BASE.resolve("docs/terraform/main.tf"))).as(where
                    + ": a tag Terraform puts on the ENIs").containsPattern("\"" + Pattern.quote(tag.group(1))
                    + "\" += \"" + Pattern.quote(tag.group(2)) + "\"");
        }

        private void packer(List<String> w) throws Exception {
            String declared = String.join("\n", Files.readAllLines(file("multus-eni.pkr.hcl")));
            for (int i = 1; i < w.size(); i++) {
                if (w.get(i).equals("-var")) {
                    String name = w.get(++i).split("=")[0];
                    assertThat(declared).as(where + ": packer variable " + name).contains("variable \"" + name + "\"");
                }
            }
            assertThat(w.get(1)).isIn("init", "build");
            assertThat(w.get(w.size() - 1)).isEqualTo(".");
        }

        private void kubectl(List<String> w) throws Exception {
            List<String> args = new ArrayList<>(w.subList(1, w.size()));
            String namespace = null;
            if (args.get(0).equals("-n")) {
                namespace = args.get(1);
                args = args.subList(2, args.size());
                assertThat(namespaces).as(where + ": the namespace was created before").contains(namespace);
            }
            switch (args.get(0)) {
                case "create" -> {
                    assertThat(args.get(1)).isEqualTo("namespace");
                    namespaces.add(args.get(2));
                }
                case "apply" -> {
                    assertThat(args.get(1)).isEqualTo("-f");
                    for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(
                            file(args.get(2)))).readAll()) {
                        String ns = doc.at("/metadata/namespace").asString();
                        assertThat(namespaces).as(where + ": " + doc.at("/metadata/name").asString() + "'s namespace"
                                + " was created before").contains(ns);
                        appliedByNamespace.computeIfAbsent(ns, n -> new ArrayList<>()).add(doc);
                    }
                }
                case "get" -> {
                    if (args.get(1).equals("nodes")) {
                        for (String label : args.get(args.indexOf("-L") + 1).split(",")) {
                            assertThat(label).as(where + ": a label nodes carry").isIn(Settings.NODE_LABEL
                                    .defaultText().split("=")[0], "topology.kubernetes.io/zone");
                        }
                    } else {
                        assertThat(args.get(1)).isEqualTo("pod");
                        assertThat(deployment(namespace)).isNotNull();
                    }
                }
                case "exec", "debug" -> {
                    String pod = args.stream().skip(1).filter(a -> !a.startsWith("-")).findFirst().orElseThrow();
                    assertThat(pod).as(where + ": the pod, a placeholder").isEqualTo("<pod>");
                    int dashes = args.indexOf("--");
                    String command = args.get(dashes + 1);
                    String image = args.get(0).equals("exec")
                            ? deployment(namespace).at("/spec/template/spec/containers/0/image").asString()
                            : args.stream().filter(a -> a.startsWith("--image=")).findFirst().orElseThrow()
                                    .substring("--image=".length());
                    assertThat(IMAGE_COMMANDS).as(where + ": what " + image + " has is known").containsKey(image);
                    assertThat(IMAGE_COMMANDS.get(image)).as(where + ": " + image + " has " + command)
                            .contains(command);
                }
                default -> fail(where + ": a kubectl command this test does not follow: " + w);
            }
        }

        private JsonNode deployment(String namespace) {
            return appliedByNamespace.getOrDefault(namespace, List.of()).stream()
                    .filter(d -> d.at("/kind").asString().equals("Deployment")).findFirst()
                    .orElseThrow(() -> new AssertionError(where + ": no Deployment applied in " + namespace));
        }
    }

    private static List<String> subcommands() {
        return Arrays.stream(Main.class.getAnnotation(Command.class).subcommands())
                .map(c -> c.getAnnotation(Command.class).name()).toList();
    }

    @Test
    void everyCommandCanBeFollowedInOrder() throws Exception {
        String markdown = Files.readString(WALKTHROUGH);
        Follower follower = new Follower();
        int followed = 0;
        for (Block block : shellBlocks(markdown)) {
            for (List<String> command : commands(block.text())) {
                follower.where = "docs/walkthrough.md:" + block.line() + " " + String.join(" ", command);
                follower.follow(command);
                followed++;
            }
        }
        // Commands given in the text rather than a block (e.g. the debug container), followed after the blocks.
        Matcher inline = Pattern.compile("`(kubectl [^`]+)`").matcher(markdown.replaceAll("(?s)```.*?```", ""));
        while (inline.find()) {
            follower.where = "docs/walkthrough.md: " + inline.group(1);
            follower.follow(words(inline.group(1)));
            followed++;
        }
        assertThat(followed).isGreaterThanOrEqualTo(20);
        assertThat(follower.cwd).as("the walkthrough ends where it began").isEqualTo(BASE.toAbsolutePath()
                .normalize());
    }

    @Test
    void eachPodCommandOfTheDeploymentIsOneItsImageHas() throws Exception {
        JsonNode container = YAML.readTree(Files.readString(BASE.resolve("docs/kubernetes/deployment.yaml")))
                .at("/spec/template/spec/containers/0");
        assertThat(IMAGE_COMMANDS).containsKey(container.get("image").asString());
        assertThat(IMAGE_COMMANDS.get(container.get("image").asString())).contains(container.at("/command/0")
                .asString());
    }

    /** The table of busybox's commands is not wishful: this machine's busybox (Debian's build) has each one. */
    @Test
    void busyboxHasTheCommandsTheTableGivesIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/busybox")), "needs busybox (apt-get install -y busybox)");
        Process list = new ProcessBuilder("busybox", "--list").start();
        List<String> applets = Arrays.asList(new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .split("\n"));
        list.waitFor();
        IMAGE_COMMANDS.forEach((image, commands) -> {
            if (image.contains("/busybox:")) {
                assertThat(applets).as(image).containsAll(commands);
            }
        });
    }

    @Test
    void everyFileTheWalkthroughNamesExists() throws Exception {
        Matcher path = Pattern.compile("`((?:docs|userdata|packer|packaging|systemd)/[A-Za-z0-9._/-]+)`")
                .matcher(Files.readString(WALKTHROUGH));
        int named = 0;
        while (path.find()) {
            assertThat(BASE.resolve(path.group(1))).as("docs/walkthrough.md names " + path.group(1)).exists();
            named++;
        }
        assertThat(named).isGreaterThanOrEqualTo(8);
    }

    @Test
    void theWordSplittingIsTheShells() {
        assertThat(words("kubectl -n proxy exec <pod> -- ip -4 addr show net1   # the static IP"))
                .containsExactly("kubectl", "-n", "proxy", "exec", "<pod>", "--", "ip", "-4", "addr", "show", "net1");
        assertThat(words("aws ec2 x --query 'A[].[B,C]' \"d\\\"e\"")).containsExactly("aws", "ec2", "x", "--query",
                "A[].[B,C]", "d\"e");
        assertThat(commands("a \\\n  b\nc # d\n")).containsExactly(List.of("a", "b"), List.of("c"));
    }
}
