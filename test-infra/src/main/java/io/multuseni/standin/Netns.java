package io.multuseni.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway network namespace standing in for a node (root only). Processes run in it with
 * {@code ip netns exec}, which also remounts /sys for the namespace. The stand-in's loopback ports are
 * bridged in over Unix sockets (socat on both sides), so no traffic leaves loopback. Closing removes
 * the namespace and everything in it; a shutdown hook removes any a crashed test left behind.
 */
public final class Netns implements AutoCloseable {
    private static final Set<Netns> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(Netns::close), "netns-cleanup"));
    }

    private final String name;
    private final Path socketDir;
    private final List<Process> bridges = new ArrayList<>();

    private Netns(String name, Path socketDir) {
        this.name = name;
        this.socketDir = socketDir;
    }

    /** Why namespaces cannot be used here, or empty when they can. */
    public static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("needs root (network namespaces, veth interfaces); run the tests as root to include"
                    + " this tier");
        }
        for (String tool : List.of("ip", "socat")) {
            if (NetnsHotPlug.run(List.of("sh", "-c", "command -v " + tool)).exit() != 0) {
                return Optional.of("needs '" + tool + "' (apt-get install -y iproute2 socat)");
            }
        }
        return Optional.empty();
    }

    public static Netns create() {
        String name = "mte-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        NetnsHotPlug.Run add = NetnsHotPlug.run(List.of("ip", "netns", "add", name));
        if (add.exit() != 0) {
            throw new IllegalStateException("ip netns add " + name + ": " + add.output());
        }
        try {
            Netns ns = new Netns(name, Files.createTempDirectory(name));
            OPEN.add(ns);
            ns.hotPlug().ip("link", "set", "lo", "up");
            return ns;
        } catch (IOException e) {
            NetnsHotPlug.run(List.of("ip", "netns", "del", name));
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    public NetnsHotPlug hotPlug() {
        return new NetnsHotPlug(name);
    }

    /** Makes 127.0.0.1:port inside the namespace reach 127.0.0.1:port outside, through a Unix socket. */
    public void bridge(int port) {
        Path socket = socketDir.resolve(port + ".sock");
        bridges.add(spawn(List.of("socat", "UNIX-LISTEN:" + socket + ",fork", "TCP:127.0.0.1:" + port), Map.of()));
        bridges.add(start(List.of("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr",
                "UNIX-CONNECT:" + socket), Map.of()));
        for (int i = 0; i < 100; i++) {
            if (NetnsHotPlug.run(List.of("ip", "netns", "exec", name, "ss", "-Hltn", "sport = :" + port))
                    .output().contains(":" + port) && Files.exists(socket)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("bridge for port " + port + " into " + name + " did not come up");
    }

    /** Starts a command inside the namespace with exactly this environment (plus PATH). */
    public Process start(List<String> command, Map<String, String> env) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return spawn(full, env);
    }

    private static Process spawn(List<String> full, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(false);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MULTUS_ENI_")
                || k.equals("NOTIFY_SOCKET") || k.equals("JOURNAL_STREAM"));
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + full, e);
        }
    }

    /** Reads a file as the namespace sees it, e.g. {@code /sys/class/net/multus/address}; null if absent. */
    public String read(String path) {
        NetnsHotPlug.Run r = NetnsHotPlug.run(List.of("ip", "netns", "exec", name, "cat", path));
        return r.exit() == 0 ? r.output().trim() : null;
    }

    @Override
    public void close() {
        if (!OPEN.remove(this)) {
            return;
        }
        for (Process p : bridges) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : bridges) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        NetnsHotPlug.run(List.of("ip", "netns", "del", name));
        try (var files = Files.list(socketDir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(socketDir);
        } catch (IOException e) {
            System.err.println("netns cleanup: " + e);
        }
    }
}
