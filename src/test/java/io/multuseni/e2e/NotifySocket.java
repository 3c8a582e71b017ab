package io.multuseni.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * What systemd's end of NOTIFY_SOCKET is: a datagram socket, bound to a path or an abstract name
 * ({@code @name}), whose messages a background thread collects in order.
 */
final class NotifySocket implements AutoCloseable {
    private final UnixDatagramChannel channel;
    private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    final String address;

    /** @param address a path, or {@code @name} for an abstract socket */
    NotifySocket(String address) throws IOException {
        this.address = address;
        channel = UnixDatagramChannel.open();
        channel.bind(new UnixSocketAddress(address.startsWith("@") ? "\0" + address.substring(1) : address));
        Thread receiver = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (channel.isOpen()) {
                try {
                    buffer.clear();
                    channel.receive(buffer);
                    buffer.flip();
                    messages.add(StandardCharsets.UTF_8.decode(buffer).toString());
                } catch (IOException e) {
                    return;
                }
            }
        }, "notify-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    /** The first message from now on that contains the text (earlier ones are kept in {@link #seen}). */
    String await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no notification containing '" + text + "' within " + timeout
                        + "; received: " + seen);
            }
            seen.add(m);
            if (m.contains(text)) {
                return m;
            }
        }
    }

    List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
