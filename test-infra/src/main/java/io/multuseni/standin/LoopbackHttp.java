package io.multuseni.standin;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The JDK's HTTP server bound to loopback only, with daemon threads: what every stand-in endpoint runs on. */
final class LoopbackHttp {
    static {
        // The JDK's server leaves Nagle's algorithm on, and with the client's delayed ACK every answer then
        // waits 40 ms: a stall real IMDS (on the host) does not have. EC2's own round trip is modelled on
        // purpose instead (Ec2World.latency).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LoopbackHttp() {}

    /** @param port 0 for any free port */
    static HttpServer start(int port, int threads, String threadName, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", handler);
        server.start();
        return server;
    }

    static void stop(HttpServer server) {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
