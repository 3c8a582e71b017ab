package io.multuseni.net;

import io.multuseni.config.Network;
import io.multuseni.fs.AtomicFile;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files that make the ENI's interface multus-eni's alone, written before it is attached: a systemd
 * {@code .link} file so udev names the interface on hot-plug (and {@code 85-multus-eni.rules} knows it by that
 * file, so nodeadm's and amazon-ec2-net-utils' udev rules pass it over), a {@code .network} file so
 * systemd-networkd never configures it (the pod owns its address); and where nodeadm runs, its cache entry for
 * the name ({@link NodeadmCache}). The systemd files' names sort before the EKS AMI's {@code 70-eks-*} and
 * {@code 80-ec2*} files, so they win.
 */
public final class InterfaceFiles {
    private static final Logger log = LoggerFactory.getLogger(InterfaceFiles.class);
    private final Path dir;
    private final String name;
    private final boolean dryRun;
    private final NodeadmCache nodeadm;

    /**
     * @param network whose interface the files name: {@code 10-multus-eni.*} for the default network,
     *     {@code 10-multus-eni-<id>.*} for a further one
     * @param dryRun say what would be written or removed, and touch nothing
     */
    public InterfaceFiles(Path dir, boolean dryRun, Network network, NodeadmCache nodeadm) {
        this.dir = dir;
        this.nodeadm = nodeadm;
        this.name = network.isDefault() ? "10-multus-eni" : "10-multus-eni-" + network.id();
        this.dryRun = dryRun;
    }

    public Path linkFile() {
        return dir.resolve(name + ".link");
    }

    public Path networkFile() {
        return dir.resolve(name + ".network");
    }

    /** @return whether anything changed (rewriting the same content is not a change) */
    public boolean write(String mac, String interfaceName) {
        if (dryRun) {
            log.info("dry run: would write {} and {} naming MAC {} {}", linkFile(), networkFile(), mac, interfaceName);
            return false;
        }
        String header = "# Written by multus-eni; removed when the ENI is released.\n";
        boolean changed = AtomicFile.writeIfDifferent(linkFile(), header
                + "[Match]\nMACAddress=" + mac + "\n\n[Link]\nName=" + interfaceName + "\nNamePolicy=\n");
        changed |= AtomicFile.writeIfDifferent(networkFile(), header
                + "[Match]\nMACAddress=" + mac + "\n\n[Link]\nUnmanaged=yes\n");
        return changed;
    }

    /**
     * Records the name as multus-eni's in nodeadm's cache, where nodeadm runs, whether or not this node holds the
     * ENI: a standby's cache may also say systemd (an earlier version, an earlier holding), and every boot would wait
     * on it. Never removed: the name stays multus-eni's whoever holds the ENI.
     */
    public void claimName(String interfaceName) {
        nodeadm.claim(interfaceName);
    }

    public void remove() {
        if (dryRun) {
            return;
        }
        AtomicFile.delete(linkFile());
        AtomicFile.delete(networkFile());
    }
}
