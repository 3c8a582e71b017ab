package io.multuseni.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@link Links} read from {@code /sys/class/net} (which, unlike {@code java.net.NetworkInterface},
 * also lists interfaces without an address) and changed with iproute2's {@code ip}.
 */
public final class SysfsLinks implements Links {
    /** IFF_UP in {@code /sys/class/net/X/flags}. */
    private static final int IFF_UP = 0x1;
    /** What an interface of ours carries in {@code /proc/sys/net/ipv6/conf/<name>/}: no IPv6 at all, no RA. */
    private static final Map<String, String> NO_IPV6 = Map.of("disable_ipv6", "1", "accept_ra", "0");
    private final Path root;
    private final Path ipv6Conf;

    /**
     * @param root {@code /sys/class/net}
     * @param ipv6Conf {@code /proc/sys/net/ipv6/conf}, whose entries are the calling process's network namespace's
     */
    public SysfsLinks(Path root, Path ipv6Conf) {
        this.root = root;
        this.ipv6Conf = ipv6Conf;
    }

    public static SysfsLinks host() {
        return new SysfsLinks(Path.of("/sys/class/net"), Path.of("/proc/sys/net/ipv6/conf"));
    }

    @Override
    public Optional<String> nameOf(String mac) {
        String wanted = mac.toLowerCase(Locale.ROOT);
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> read(p.resolve("address")).map(wanted::equals).orElse(false))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            throw new LinkFailure("cannot list " + root + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<String> macOf(String name) {
        return read(root.resolve(name).resolve("address"));
    }

    @Override
    public void rename(String from, String to) {
        boolean wasUp = isUp(from);
        // The kernel refuses to rename an interface that is up (EBUSY) on older versions.
        ip("link", "set", "dev", from, "down");
        try {
            ip("link", "set", "dev", from, "name", to);
        } catch (LinkFailure refused) {
            if (wasUp) {
                ip("link", "set", "dev", from, "up"); // as it was: a refused rename takes nothing down
            }
            throw refused;
        }
        if (wasUp) {
            ip("link", "set", "dev", to, "up");
        }
    }

    @Override
    public boolean isUp(String name) {
        return read(root.resolve(name).resolve("flags")).map(f -> (Integer.decode(f) & IFF_UP) != 0).orElse(false);
    }

    @Override
    public void upWithoutAddresses(String name) {
        Path conf = ipv6Conf.resolve(name);
        // Absent when the kernel runs without IPv6: then there is nothing to switch off.
        if (Files.isDirectory(conf)) {
            NO_IPV6.forEach((key, value) -> {
                try {
                    Files.writeString(conf.resolve(key), value, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new LinkFailure("cannot set " + conf.resolve(key) + " to " + value + ": " + e);
                }
            });
        }
        ip("link", "set", "dev", name, "up");
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            // The interface went away between listing and reading: it is simply not there.
            return Optional.empty();
        }
    }

    private static void ip(String... args) {
        List<String> command = Stream.concat(Stream.of("ip"), Stream.of(args)).toList();
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            // Bounded first, read after: `ip link set` says a line at most, which the pipe holds meanwhile.
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LinkFailure(String.join(" ", command) + ": timed out after 10s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new LinkFailure(String.join(" ", command) + ": exit " + p.exitValue() + ": " + out);
            }
        } catch (IOException e) {
            throw new LinkFailure(String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkFailure(String.join(" ", command) + ": interrupted");
        }
    }
}
