package io.multuseni.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.imds.Ec2MetadataClient;

/**
 * {@link Imds} through the SDK's {@link Ec2MetadataClient}, which speaks IMDSv2 only (token PUT,
 * then GETs carrying the token) and retries with backoff.
 */
public final class SdkImds implements Imds, AutoCloseable {
    private static final String BASE = "/latest/meta-data/";
    /** An EC2 instance id: what anything else from IMDS would be sent to EC2 as. */
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
    private final Ec2MetadataClient client;
    private final String endpoint;

    public SdkImds(Ec2MetadataClient client, String endpoint) {
        this.client = client;
        this.endpoint = endpoint;
    }

    /**
     * @param endpoint {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, or null for the link-local default
     */
    public static SdkImds create(URI endpoint) {
        Ec2MetadataClient.Builder builder = Ec2MetadataClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)))
                .retryPolicy(p -> p.numRetries(5));
        if (endpoint != null) {
            builder.endpoint(endpoint);
        }
        return new SdkImds(builder.build(), endpoint != null ? endpoint + " (AWS_EC2_METADATA_SERVICE_ENDPOINT)"
                : "http://169.254.169.254");
    }

    @Override
    public Identity identity() {
        String id = get("instance-id");
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw new ImdsFailure("IMDS at " + endpoint + " answered instance-id '" + id.lines().findFirst().orElse("")
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
    public Optional<Optional<String>> instanceTag(String key) {
        Optional<String> keys = optional("tags/instance");
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(keys.get().lines().anyMatch(key::equals) ? optional("tags/instance/" + key)
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

    /** A metadata path that may not exist (404): empty then. */
    private Optional<String> optional(String path) {
        try {
            return Optional.of(get(path));
        } catch (ImdsFailure e) {
            if (e.getCause() instanceof SdkClientException c && String.valueOf(c.getMessage()).contains("404")) {
                return Optional.empty();
            }
            throw e;
        }
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
            throw new ImdsFailure("IMDS " + BASE + path + " at " + endpoint + " answered '" + value
                    + "', not a number", e);
        }
    }

    private String get(String path) {
        try {
            return client.get(BASE + path).asString().trim();
        } catch (SdkClientException e) {
            String message = String.valueOf(e.getMessage());
            throw new ImdsFailure("IMDS " + BASE + path + " at " + endpoint + ": " + message
                    + (message.contains("404") ? "" : ". Is this an EC2 instance with IMDS enabled (the launch"
                    + " template's HttpEndpoint), and IMDSv2 reachable from here (HttpPutResponseHopLimit 2 when run"
                    + " in a container)?"), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
