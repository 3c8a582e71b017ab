package io.multuseni.net;

import io.multuseni.fs.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nodeadm's record, on the EKS AL2023 AMI, of which manager owns each interface name: one file per name under
 * {@code /etc/eks/nodeadm/udev-net-manager/<instance-id>/}, holding {@code io.systemd.Network} or another
 * manager's name (awslabs/amazon-eks-ami {@code nodeadm/cmd/nodeadm-internal/udev/broker.go}). It survives
 * reboots. A name cached as {@code io.systemd.Network} gets a DHCP {@code .network} file from nodeadm's udev
 * network manager, and {@code nodeadm-boot-hook} waits up to a minute at every boot for it to be
 * {@code configured} ({@code nodeadm/internal/system/networking.go}) — which multus-eni's interfaces never are.
 *
 * <p>So multus-eni claims its interface names here, where nodeadm keeps the record: the entry says
 * {@code multus-eni}, which nodeadm treats as "not systemd's" (any other value does). That also heals an
 * instance where an earlier version of multus-eni let nodeadm cache the name as systemd's.
 */
public final class NodeadmCache {
    private static final Logger log = LoggerFactory.getLogger(NodeadmCache.class);
    /** nodeadm's value for "systemd-networkd configures this interface". */
    public static final String SYSTEMD = "io.systemd.Network";
    /** Ours: any value but {@link #SYSTEMD} keeps nodeadm's hands off the name. */
    public static final String MULTUS_ENI = "multus-eni";

    private final Path root;
    private final String instanceId;
    private final boolean dryRun;

    /** @param root {@code --nodeadm-cache-dir}: {@code /etc/eks/nodeadm/udev-net-manager}, absent without nodeadm */
    public NodeadmCache(Path root, String instanceId, boolean dryRun) {
        this.root = root;
        this.instanceId = instanceId;
        this.dryRun = dryRun;
    }

    /** The entry for one interface name (whether or not it exists). */
    public Path entry(String interfaceName) {
        return root.resolve(instanceId).resolve(interfaceName);
    }

    /** Whether nodeadm keeps its record on this node. */
    public boolean present() {
        return Files.isDirectory(root);
    }

    /** What nodeadm has recorded for the name; empty when nothing (or no nodeadm). */
    public Optional<String> managerOf(String interfaceName) {
        try {
            return Optional.of(Files.readString(entry(interfaceName), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Records the name as multus-eni's where nodeadm keeps its record (nothing is created where nodeadm is not
     * installed). Says so when that replaces a "systemd" entry.
     */
    public void claim(String interfaceName) {
        if (!present()) {
            return;
        }
        Optional<String> before = managerOf(interfaceName);
        if (before.equals(Optional.of(MULTUS_ENI))) {
            return;
        }
        Path entry = entry(interfaceName);
        if (dryRun) {
            log.info("dry run: would record {} as multus-eni's in {}", interfaceName, entry);
            return;
        }
        try {
            AtomicFile.writeIfDifferent(entry, MULTUS_ENI);
        } catch (UncheckedIOException e) {
            // The interface works all the same; only the next boot may wait on nodeadm-boot-hook.
            log.warn("cannot record {} as multus-eni's in nodeadm's interface cache: {}", interfaceName, e.getMessage());
            return;
        }
        if (before.equals(Optional.of(SYSTEMD))) {
            log.warn("nodeadm had recorded {} as systemd-networkd's ({}), so nodeadm-boot-hook would wait a minute for"
                    + " it at every boot; it is now recorded as multus-eni's", interfaceName, entry);
        } else {
            log.info("recorded {} as multus-eni's in nodeadm's interface cache ({})", interfaceName, entry);
        }
    }
}
