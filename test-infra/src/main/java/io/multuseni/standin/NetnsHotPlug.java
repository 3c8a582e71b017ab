package io.multuseni.standin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes an attached ENI show up as a real interface in a network namespace: a veth end carrying the
 * ENI's MAC, named as the kernel would ({@code eth<device index>}, or the next free {@code ethN}).
 * The veth's peer stays in the same namespace, so nothing outside the namespace is touched.
 * Needs root; the namespace must exist.
 */
public final class NetnsHotPlug implements HotPlug {
    private final String namespace;
    private volatile long appearDelayMillis;
    private volatile boolean neverAppear;

    public NetnsHotPlug(String namespace) {
        this.namespace = namespace;
    }

    /** How long after the attachment completes the interface appears (a slow driver). */
    public void appearDelay(long millis) {
        appearDelayMillis = millis;
    }

    /** A driver that never brings the interface up: attachments complete, nothing appears. */
    public void neverAppear() {
        neverAppear = true;
    }

    @Override
    public void plugged(String mac, int deviceIndex) {
        if (neverAppear) {
            return;
        }
        sleep(appearDelayMillis);
        String peer = peerOf(mac);
        for (int n = deviceIndex; n < deviceIndex + 16; n++) {
            if (ip("link", "add", "eth" + n, "address", mac, "type", "veth", "peer", "name", peer).exit == 0) {
                return;
            }
        }
        throw new IllegalStateException("could not create an interface for " + mac + " in " + namespace);
    }

    /**
     * Deletes the veth's peer, which stays in the node's namespace: that removes the ENI's end too, wherever
     * it is — on the host under any name, or in a pod's namespace where host-device moved it — as a real
     * detach takes the device away from whoever has it.
     */
    @Override
    public void unplugged(String mac) {
        ip("link", "del", peerOf(mac));
    }

    /** The veth end that stays in the node's namespace for this ENI: the VPC's side of the wire. */
    public static String peerOf(String mac) {
        return "hp" + mac.replace(":", "").substring(4);
    }

    /** Result of one {@code ip -n NS …} run. */
    public record Run(int exit, String output) {}

    public Run ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs a command on the host (bounded at 30 s): {@code ip netns exec NS …} for one inside a namespace. */
    public static Run run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, out);
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            return new Run(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, e.toString());
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
