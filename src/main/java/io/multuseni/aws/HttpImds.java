package io.multuseni.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Imds} over plain HTTP, IMDSv2 only: a session token from {@code PUT /latest/api/token}, then
 * GETs carrying it; the token is kept until shortly before it expires, and fetched again on a 401.
 * A connection failure or a 5xx is retried a few times with backoff; a 404 means "not there".
 *
 * <p>Why not the SDK's IMDS client: these are a handful of GETs, and the SDK's client costs a few hundred
 * classes and a retry framework at every start, before READY.
 */
public final class HttpImds implements Imds {
    private static final Logger log = LoggerFactory.getLogger(HttpImds.class);
    private static final String BASE = "/latest/meta-data/";
    private static final URI DEFAULT_ENDPOINT = URI.create("http://169.254.169.254");
    /** An EC2 instance id: what anything else from IMDS would be sent to EC2 as. */
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final Duration TOKEN_TTL = Duration.ofHours(6);
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private static final int READ_TIMEOUT_MS = 5000;
    /** Tries of one request: the first and its retries (100 ms, then doubling), as the SDK's client did. */
    private static final int ATTEMPTS = 6;

    private final URI endpoint;
    private final String described;
    private String token;
    private Instant tokenExpires = Instant.MIN;

    private HttpImds(URI endpoint, String described) {
        this.endpoint = endpoint;
        this.described = described;
    }

    /** @param endpoint {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, or null for the link-local default */
    public static HttpImds create(URI endpoint) {
        return endpoint != null ? new HttpImds(endpoint, endpoint + " (AWS_EC2_METADATA_SERVICE_ENDPOINT)")
                : new HttpImds(DEFAULT_ENDPOINT, DEFAULT_ENDPOINT.toString());
    }

    @Override
    public Identity identity() {
        String id = get("instance-id");
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw new ImdsFailure("IMDS at " + described + " answered instance-id '" + id.lines().findFirst().orElse("")
                    + "', which is not an EC2 instance id (i- and 8 or 17 hex digits): is that endpoint IMDS?", null);
        }
        return new Identity(id, get("placement/region"), get("placement/availability-zone"), get("local-hostname"));
    }

    @Override
    public List<AttachedInterface> interfaces() {
        List<AttachedInterface> result = new ArrayList<>();
        for (String line : get("network/interfaces/macs/").split("\n")) {
            String mac = line.trim().replaceAll("/$", "");
            if (mac.isEmpty()) {
                continue;
            }
            String prefix = "network/interfaces/macs/" + mac + "/";
            result.add(new AttachedInterface(mac, get(prefix + "interface-id"),
                    number(prefix + "device-number", get(prefix + "device-number")), networkCard(prefix)));
        }
        return result;
    }

    @Override
    public Tag instanceTag(String key) {
        Optional<String> keys = optional("tags/instance");
        if (keys.isEmpty()) {
            return Tag.HIDDEN;
        }
        return new Tag.Shown(keys.get().lines().anyMatch(key::equals) ? optional("tags/instance/" + key)
                : Optional.empty());
    }

    @Override
    public Optional<String> leaving() {
        Optional<String> spot = optional("spot/instance-action");
        if (spot.isPresent()) {
            return Optional.of("spot interruption: " + spot.get());
        }
        return optional("autoscaling/target-lifecycle-state").filter(s -> s.equals("Terminated"))
                .map(s -> "Auto Scaling lifecycle state Terminated");
    }

    /** IMDS lists {@code network-card} only on instance types with several cards; absent means card 0. */
    private int networkCard(String prefix) {
        return optional(prefix + "network-card").map(v -> number(prefix + "network-card", v)).orElse(0);
    }

    /** What IMDS answered at {@code path}, as a number. */
    private int number(String path, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ImdsFailure("IMDS " + BASE + path + " at " + described + " answered '" + value
                    + "', not a number", e);
        }
    }

    @Override
    public String instanceType() {
        return get("instance-type");
    }

    private String get(String path) {
        return optional(path).orElseThrow(() -> new ImdsFailure("IMDS " + BASE + path + " at " + described
                + ": HTTP 404, not found", null));
    }

    /** A metadata path that may not exist: empty on a 404. */
    private synchronized Optional<String> optional(String path) {
        IOException last = null;
        String problem = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                pause(attempt);
            }
            try {
                Response r = request("GET", BASE + path, "X-aws-ec2-metadata-token", token());
                if (r.status == 401) {
                    tokenExpires = Instant.MIN; // expired early, or IMDS restarted: a new token, then again
                    r = request("GET", BASE + path, "X-aws-ec2-metadata-token", token());
                }
                if (r.status == 200) {
                    return Optional.of(r.body.trim());
                }
                if (r.status == 404) {
                    return Optional.empty();
                }
                problem = "HTTP " + r.status;
                if (r.status < 500) {
                    break; // a client error does not go away by asking again
                }
            } catch (IOException e) {
                last = e;
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        throw new ImdsFailure("IMDS " + BASE + path + " at " + described + ": " + problem + ". Is this an EC2"
                + " instance with IMDS enabled (the launch template's HttpEndpoint), and IMDSv2 reachable from here"
                + " (HttpPutResponseHopLimit 2 when run in a container)?", last);
    }

    /** The session token, fetched anew shortly before the last one expires. */
    private String token() throws IOException {
        Instant now = Instant.now();
        if (token == null || !now.isBefore(tokenExpires)) {
            Response r = request("PUT", "/latest/api/token", "X-aws-ec2-metadata-token-ttl-seconds",
                    Long.toString(TOKEN_TTL.toSeconds()));
            if (r.status != 200) {
                throw new IOException("the IMDSv2 token request (PUT /latest/api/token) answered HTTP " + r.status);
            }
            token = r.body.trim();
            tokenExpires = now.plus(TOKEN_TTL).minus(Duration.ofMinutes(5));
        }
        return token;
    }

    private record Response(int status, String body) {}

    /** One request, said at debug level by its path, status and duration (never the token, sent or received). */
    private Response request(String method, String path, String header, String value) throws IOException {
        long start = System.nanoTime();
        try {
            Response r = exchange(method, path, header, value);
            log.debug("IMDS {} {}: HTTP {} in {} ms", method, path, r.status, (System.nanoTime() - start) / 1_000_000);
            return r;
        } catch (IOException e) {
            log.debug("IMDS {} {}: {} after {} ms", method, path, e, (System.nanoTime() - start) / 1_000_000);
            throw e;
        }
    }

    private Response exchange(String method, String path, String header, String value) throws IOException {
        // Never through a proxy: IMDS is link-local, and a proxy would answer for the proxy's own host.
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
        c.setRequestMethod(method);
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout(READ_TIMEOUT_MS);
        c.setRequestProperty(header, value);
        int status = c.getResponseCode();
        // Read to the end and closed, the connection goes back to the JDK's keep-alive cache for the next request.
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(100L << (attempt - 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImdsFailure("interrupted while asking IMDS", e);
        }
    }
}
