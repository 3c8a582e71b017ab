package io.multuseni.net;

import io.multuseni.config.Network;
import io.multuseni.fs.AtomicFile;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime systemd files for the ENI's interface, written before it is attached: a {@code .link}
 * file so udev names the interface on hot-plug, and a {@code .network} file so systemd-networkd never
 * configures it (the pod owns its address). Their names sort before the EKS AMI's {@code 70-eks-*}
 * and {@code 80-ec2*} files, so they win.
 */
public final class NetworkdFiles {
    private static final Logger log = LoggerFactory.getLogger(NetworkdFiles.class);
    private final Path dir;
    private final String name;
    private final boolean dryRun;

    /**
     * @param network whose interface the files name: {@code 10-multus-eni.*} for the default network,
     *     {@code 10-multus-eni-<id>.*} for a further one
     * @param dryRun say what would be written or removed, and touch nothing
     */
    public NetworkdFiles(Path dir, boolean dryRun, Network network) {
        this.dir = dir;
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

    public void remove() {
        if (dryRun) {
            return;
        }
        AtomicFile.delete(linkFile());
        AtomicFile.delete(networkFile());
    }
}
