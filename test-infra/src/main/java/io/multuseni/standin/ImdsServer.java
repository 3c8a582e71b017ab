package io.multuseni.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IMDSv2 of one instance on loopback: a token from {@code PUT /latest/api/token} (the reply carries
 * the TTL header the SDK requires) must accompany every GET; everything is read live from an
 * {@link InstanceMetadata}, so interfaces appear once an attachment completes. It also serves
 * instance-profile credentials, so the SDK's default credentials chain works unchanged against it.
 */
public final class ImdsServer implements AutoCloseable {
    private final InstanceMetadata instance;
    private final HttpServer server;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private volatile boolean down;
    /** IMDS lagging behind EC2, as the test asks. */
    public final ImdsLag lag = new ImdsLag();

    public ImdsServer(InstanceMetadata instance, int port) throws IOException {
        this.instance = instance;
        this.server = LoopbackHttp.start(port, 4, "imds-standin-http", this::handle);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** An IMDS outage: every request gets 503 until it is back. */
    public void down(boolean isDown) {
        down = isDown;
    }

    /** IMDS keeps listing the interface with this MAC, attached now, after it is detached. */
    public void keepListing(String mac) {
        lag.keepListing(mac, instance.interfaces());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (down) {
                reply(exchange, 503, "");
            } else if (path.equals("/latest/api/token")) {
                String ttl = exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds");
                if (!exchange.getRequestMethod().equals("PUT") || ttl == null) {
                    reply(exchange, 400, "");
                    return;
                }
                String token = UUID.randomUUID().toString();
                tokens.add(token);
                exchange.getResponseHeaders().set("X-aws-ec2-metadata-token-ttl-seconds", ttl);
                reply(exchange, 200, token);
            } else if (!tokens.contains(String.valueOf(
                    exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token")))) {
                reply(exchange, 401, "");
            } else if (path.startsWith("/latest/meta-data/")) {
                String value = metadata(path.substring("/latest/meta-data/".length()));
                reply(exchange, value == null ? 404 : 200, value == null ? "" : value);
            } else {
                reply(exchange, 404, "");
            }
        }
    }

    private String metadata(String key) {
        List<InstanceMetadata.Nic> attached = lag.listed(instance.interfaces());
        Map<String, String> tags = instance.tags();
        switch (key) {
            case "instance-id":
                return instance.instanceId();
            case "placement/availability-zone":
                return instance.zone();
            case "placement/region":
                return instance.region();
            case "instance-type":
                return instance.instanceType();
            case "local-hostname":
            case "hostname":
                return instance.hostname();
            case "mac":
                return attached.stream().filter(n -> n.deviceIndex() == 0).map(InstanceMetadata.Nic::mac)
                        .findFirst().orElse(null);
            case "network/interfaces/macs/":
            case "network/interfaces/macs":
                return String.join("\n", attached.stream().map(n -> n.mac() + "/").toList());
            case "spot/instance-action":
                return instance.spotAction();
            case "autoscaling/target-lifecycle-state":
                return instance.lifecycleState();
            case "tags/instance":
            case "tags/instance/":
                return tags == null ? null : String.join("\n", tags.keySet());
            case "iam/security-credentials/":
            case "iam/security-credentials":
                return "multus-eni-node-role";
            case "iam/security-credentials/multus-eni-node-role":
                return "{\"Code\":\"Success\",\"LastUpdated\":\"" + Instant.now() + "\",\"Type\":\"AWS-HMAC\","
                        + "\"AccessKeyId\":\"ASIASTANDIN\",\"SecretAccessKey\":\"standin-secret\","
                        + "\"Token\":\"standin-token\",\"Expiration\":\""
                        + Instant.now().plus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS) + "\"}";
            default:
                break;
        }
        if (key.startsWith("tags/instance/") && tags != null) {
            return tags.get(key.substring("tags/instance/".length()));
        }
        String prefix = "network/interfaces/macs/";
        if (key.startsWith(prefix)) {
            String[] parts = key.substring(prefix.length()).split("/", 2);
            for (InstanceMetadata.Nic nic : attached) {
                if (nic.mac().equals(parts[0]) && parts.length == 2) {
                    switch (parts[1]) {
                        case "device-number":
                            return Integer.toString(nic.deviceIndex());
                        case "network-card-index":
                        case "network-card":
                            return Integer.toString(nic.networkCardIndex());
                        case "interface-id":
                            return nic.eniId();
                        case "local-ipv4s":
                            return nic.privateIp();
                        default:
                            return null;
                    }
                }
            }
        }
        return null;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        LoopbackHttp.stop(server);
    }
}
