package io.multuseni.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications as datagrams to {@code NOTIFY_SOCKET}, a path or an abstract socket written
 * {@code @name}. A failed send is logged, never fatal: a missed notification must not stop the ENI work.
 */
public final class SocketNotifier implements Notifier {
    private static final Logger log = LoggerFactory.getLogger(SocketNotifier.class);
    private final UnixSocketAddress address;

    private SocketNotifier(String socket) {
        this.address = new UnixSocketAddress(socket.startsWith("@") ? "\0" + socket.substring(1) : socket);
    }

    /**
     * The notifier for {@code NOTIFY_SOCKET}, or {@link Notifier#NONE} when it is unset. jnr's first socket
     * loads its native library and generates its bindings (tens of milliseconds): that is done now, on a
     * thread of its own while the boot works, rather than when READY=1 is due.
     */
    public static Notifier fromEnvironment(String notifySocket) {
        if (notifySocket == null || notifySocket.isEmpty()) {
            return NONE;
        }
        Thread warmUp = new Thread(() -> {
            try (UnixDatagramChannel channel = UnixDatagramChannel.open()) {
                channel.isOpen();
            } catch (IOException | RuntimeException e) {
                // said when a notification is sent, if it fails then too
            }
        }, "multus-eni-notify-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        return new SocketNotifier(notifySocket);
    }

    @Override
    public void send(String message) {
        try (UnixDatagramChannel channel = UnixDatagramChannel.open()) {
            channel.send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), address);
        } catch (IOException | RuntimeException e) {
            log.warn("could not notify systemd ({}): {}", message.replace('\n', ' '), e.toString());
        }
    }
}
