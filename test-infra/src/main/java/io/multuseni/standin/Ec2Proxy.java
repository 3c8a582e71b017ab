package io.multuseni.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sits on loopback in front of another EC2 endpoint (LocalStack) and passes every Query API call
 * through unchanged, after counting it and applying the {@link Faults} on demand, so the scenarios
 * that throttle, fail or count calls run against that EC2 as they do against the stand-in. A fault
 * is answered here and never reaches the EC2 behind, so a failed call changes nothing there either.
 * Every call is made as one account (LocalStack namespaces its state by the access key ID), so each
 * test gets a region of its own whatever credentials the caller has.
 */
public final class Ec2Proxy implements AutoCloseable {
    /** Hop-by-hop headers, and those the JDK's client and server set themselves or refuse to pass on. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding");
    private static final List<String> CHANGES = List.of("AttachNetworkInterface", "DetachNetworkInterface",
            "CreateTags", "DeleteTags");

    private final URI upstream;
    private final String accessKeyId;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final CallLog log = new CallLog();
    private final Faults faults = new Faults();

    /** @param accessKeyId put in every request's SigV4 credential in place of the caller's */
    public Ec2Proxy(URI upstream, String accessKeyId) throws IOException {
        this.upstream = upstream;
        this.accessKeyId = accessKeyId;
        this.server = LoopbackHttp.start(0, 8, "ec2-proxy-http", this::handle);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public CallLog log() {
        return log;
    }

    public Faults faults() {
        return faults;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> params = Ec2Server.parseForm(new String(body, StandardCharsets.UTF_8));
            String action = params.getOrDefault("Action", "");
            log.count(action);
            try {
                faults.check(action);
            } catch (Ec2World.Ec2Error e) {
                Ec2Server.reply(exchange, e.status, Ec2Server.errorXml(e));
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().getPath()))
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (name.equalsIgnoreCase("Authorization")) {
                    values.forEach(v -> request.header(name, v.replaceFirst("Credential=[^/]*/",
                            "Credential=" + accessKeyId + "/")));
                } else if (!NOT_FORWARDED.contains(name.toLowerCase())
                        && !name.equalsIgnoreCase("X-Amz-Security-Token")) {
                    // A session token (the instance profile's, from our IMDS) could name another account.
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200 && CHANGES.contains(action) && !"true".equals(params.get("DryRun"))) {
                log.record(action + " " + subject(params));
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] reply = response.body();
            exchange.sendResponseHeaders(response.statusCode(), reply.length == 0 ? -1 : reply.length);
            if (reply.length > 0) {
                exchange.getResponseBody().write(reply);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a change was made to, in the order the stand-in's own timeline names it. */
    private static String subject(Map<String, String> p) {
        StringBuilder s = new StringBuilder();
        for (String name : List.of("NetworkInterfaceId", "AttachmentId", "ResourceId.1", "InstanceId", "DeviceIndex")) {
            if (p.containsKey(name)) {
                s.append(s.length() == 0 ? "" : " ").append(p.get(name));
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        LoopbackHttp.stop(server);
    }
}
