package io.multuseni.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A node booted with a real systemd as PID 1: a copy of the Debian root that
 * {@code test-infra/systemd/root.sh} builds once, with the project's tarball unpacked into it as a user
 * would, both units enabled, a stand-in {@code kubelet.service}, and a drop-in pointing the unit at the
 * node's stand-ins; booted with {@code systemd-nspawn --boot} into the node's network namespace. The
 * container sees that namespace's interfaces through a sysfs mounted from inside it. Root only.
 */
final class SystemdMachine implements AutoCloseable {
    static final Path PROJECT = Path.of(System.getProperty("basedir", "."));
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);

    private final Node node;
    private final Path root;
    private final Path sysfs;
    private final Path console;
    private Process nspawn;
    private long leader;

    /**
     * @param unitSettings extra lines for the unit's {@code [Service]} drop-in (e.g. a short WatchdogSec)
     */
    SystemdMachine(Node node, Path work, List<String> unitSettings) throws Exception {
        this.node = node;
        this.root = work.resolve("root");
        this.sysfs = work.resolve("sysfs");
        this.console = work.resolve("console.log");
        run(List.of("cp", "-a", baseRoot().toString(), root.toString()));
        run(List.of("tar", "-C", root.toString(), "-xzf", tarball().toString()));
        Path system = root.resolve("etc/systemd/system");
        Files.createDirectories(system.resolve("multi-user.target.wants"));
        Files.writeString(system.resolve("kubelet.service"), """
                [Unit]
                Description=kubelet (a stand-in that only runs; the drop-in orders it after multus-eni)
                [Service]
                ExecStart=/bin/sleep infinity
                [Install]
                WantedBy=multi-user.target
                """);
        Files.createSymbolicLink(system.resolve("multi-user.target.wants/kubelet.service"),
                Path.of("/etc/systemd/system/kubelet.service"));
        Files.createSymbolicLink(system.resolve("multi-user.target.wants/multus-eni.service"),
                Path.of("/usr/lib/systemd/system/multus-eni.service"));
        Files.copy(Path.of(node.env.get("MULTUS_ENI_KUBECONFIG")), root.resolve("etc/multus-eni/kubeconfig"));
        List<String> dropIn = new ArrayList<>(List.of("[Service]"));
        for (String variable : List.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_ENDPOINT_URL_EC2")) {
            dropIn.add("Environment=" + variable + "=" + node.env.get(variable));
        }
        dropIn.add("Environment=MULTUS_ENI_KUBECONFIG=/etc/multus-eni/kubeconfig");
        dropIn.addAll(unitSettings);
        Path dropInDir = Files.createDirectories(system.resolve("multus-eni.service.d"));
        Files.writeString(dropInDir.resolve("50-stand-ins.conf"), String.join("\n", dropIn) + "\n");
    }

    /** Why this tier cannot run here, or empty when it can. */
    static Optional<String> unavailable() {
        for (String tool : List.of("systemd-nspawn", "debootstrap", "nsenter")) {
            if (!onPath(tool)) {
                return Optional.of("needs '" + tool + "' (apt-get install -y systemd-container debootstrap util-linux)");
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(String tool) {
        return List.of(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator))
                .stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    /** The Debian root, built by debootstrap on first use (about a minute) and reused after. */
    private static Path baseRoot() throws Exception {
        return Path.of(run(List.of(PROJECT.resolve("test-infra/systemd/root.sh").toString())).trim());
    }

    /** The project's tarball, built when missing or older than the jar. */
    private static synchronized Path tarball() throws Exception {
        Path dist = PROJECT.resolve("target/dist");
        Optional<Path> existing = Files.isDirectory(dist) ? Files.list(dist)
                .filter(p -> p.getFileName().toString().matches("multus-eni-.*\\.tar\\.gz")).findFirst() : Optional.empty();
        if (existing.isEmpty() || Files.getLastModifiedTime(existing.get())
                .compareTo(Files.getLastModifiedTime(Node.JAR)) < 0) {
            String out = run(List.of(PROJECT.resolve("packaging/build.sh").toString(), "--tarball-only"));
            return PROJECT.resolve(out.lines().filter(l -> l.endsWith(".tar.gz")).reduce((a, b) -> b).orElseThrow());
        }
        return existing.get();
    }

    /** Boots it; returns once systemd says the system is up (running, or degraded with a unit failed). */
    void boot() throws Exception {
        leader = 0;
        if (!Files.isDirectory(sysfs.resolve("class/net"))) { // mounted already at an earlier boot of this machine
            Files.createDirectories(sysfs);
            run(List.of("nsenter", "--net=/run/netns/" + node.ns.name(), "mount", "-t", "sysfs", "sysfs",
                    sysfs.toString()));
        }
        nspawn = new ProcessBuilder("systemd-nspawn", "--boot", "-D", root.toString(), "--register=no", "--keep-unit",
                "--capability=CAP_NET_ADMIN", "--console=pipe", "--network-namespace-path=/run/netns/" + node.ns.name(),
                "--bind-ro=" + sysfs.resolve("class/net") + ":/sys/class/net",
                "--bind-ro=" + sysfs.resolve("devices/virtual/net") + ":/sys/devices/virtual/net")
                .redirectErrorStream(true).redirectOutput(console.toFile()).start();
        Instant until = Instant.now().plus(BOOT_TIMEOUT);
        while (leader == 0) {
            nspawn.toHandle().children().filter(c -> c.info().command().orElse("").endsWith("systemd")).findFirst()
                    .ifPresent(c -> leader = c.pid());
            awaitOrFail(until, "systemd-nspawn did not start systemd");
        }
        while (!List.of("running", "degraded").contains(exec("systemctl", "is-system-running").trim())) {
            awaitOrFail(until, "the machine did not finish booting");
        }
    }

    private void awaitOrFail(Instant until, String what) throws Exception {
        if (Instant.now().isAfter(until) || !nspawn.isAlive()) {
            throw new AssertionError(what + " within " + BOOT_TIMEOUT + "; console:\n" + Files.readString(console));
        }
        Thread.sleep(100);
    }

    /** Runs a command inside the machine (all its namespaces) and returns its output; any exit status. */
    String exec(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leader), "-a"));
        full.addAll(List.of(command));
        return runAllowingFailure(full);
    }

    /** One property of a unit, as {@code systemctl show -p NAME --value} prints it. */
    String show(String unit, String property) throws Exception {
        return exec("systemctl", "show", "-p", property, "--value", unit).trim();
    }

    /** A file as the machine sees it (its /run is a tmpfs of its own), or null when it is not there. */
    String read(String path) throws Exception {
        String out = exec("sh", "-c", "test -e \"$1\" && echo present && cat \"$1\"", "sh", path);
        return out.startsWith("present\n") ? out.substring("present\n".length()) : null;
    }

    void write(String path, String content) throws IOException {
        Path file = root.resolve(path.substring(1));
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Enables a unit of the machine's own systemd (one of {@code /lib/systemd/system}) for the next boot. */
    void enable(String unit) throws IOException {
        Path wants = root.resolve("etc/systemd/system/multi-user.target.wants/" + unit);
        if (!Files.exists(wants, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(wants, Path.of("/lib/systemd/system/" + unit));
        }
    }

    /** Waits until the unit's property begins with this value. */
    void awaitProperty(String unit, String property, String value, Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        String now = show(unit, property);
        while (!now.startsWith(value)) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError(unit + " " + property + " is '" + now + "', not '" + value + "', after "
                        + timeout + "; journal:\n" + exec("journalctl", "-u", unit, "--no-pager", "-n", "40"));
            }
            Thread.sleep(100);
            now = show(unit, property);
        }
    }

    /** Waits until the unit's journal has a line with this text. */
    void awaitJournal(String unit, String text, Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        while (!exec("journalctl", "-u", unit, "--no-pager", "-o", "cat").contains(text)) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("no '" + text + "' in the journal of " + unit + " within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** Shuts the machine down as a node shuts down; returns once systemd-nspawn has exited. */
    void poweroff(Duration timeout) throws Exception {
        exec("systemctl", "poweroff");
        if (!nspawn.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the machine did not power off within " + timeout);
        }
    }

    @Override
    public void close() throws Exception {
        if (nspawn != null && nspawn.isAlive()) {
            nspawn.destroy(); // systemd-nspawn stops its container on SIGTERM
            if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
                nspawn.destroyForcibly();
                nspawn.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (Files.isDirectory(sysfs)) {
            runAllowingFailure(List.of("umount", sysfs.toString()));
        }
        runAllowingFailure(List.of("rm", "-rf", "--one-file-system", root.toString()));
    }

    /** Runs a command on this machine; its errors go to the test's output. @return what it printed */
    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static String runAllowingFailure(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(2, TimeUnit.MINUTES);
        return out;
    }
}
