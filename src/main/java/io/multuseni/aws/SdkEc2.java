package io.multuseni.aws;

import io.multuseni.errors.Causes;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkCardInfo;
import software.amazon.awssdk.services.ec2.model.NetworkInfo;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceAttachment;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * {@link Ec2} through the AWS SDK's {@link Ec2Client}. The SDK's standard retry strategy absorbs
 * throttling and 5xx with jittered backoff. In dry-run mode every changing call is sent with
 * {@code DryRun=true}: EC2 checks permissions and parameters and changes nothing.
 */
public final class SdkEc2 implements Ec2, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SdkEc2.class);
    /** More than the SDK's default 3: a node at boot should ride out a burst of throttling. */
    private static final int MAX_ATTEMPTS = 8;

    private final Ec2Client client;
    private final boolean dryRun;

    public SdkEc2(Ec2Client client, boolean dryRun) {
        this.client = client;
        this.dryRun = dryRun;
    }

    /**
     * @param endpoint an endpoint override ({@code AWS_ENDPOINT_URL_EC2}), or null for the region's
     */
    public static SdkEc2 create(String region, URI endpoint, boolean dryRun) {
        return create(region, endpoint, dryRun, DefaultCredentialsProvider.builder().build());
    }

    /**
     * Starts, on a thread of its own, what the first EC2 call would otherwise wait for — the SDK's classes
     * loaded and the instance role's credentials fetched — while the caller asks IMDS who it is (the region
     * the client needs comes from there). Two cores do both at once.
     */
    public static Warm warmUp() {
        CompletableFuture<AwsCredentialsProvider> credentials = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build();
            try {
                Ec2Client.builder(); // the service's classes, loaded now rather than on the boot's path
                provider.resolveCredentials();
            } catch (RuntimeException e) {
                // No credentials yet (or none at all): the first call resolves them again, and says why if it fails.
            }
            credentials.complete(provider);
        }, "multus-eni-warm-up");
        t.setDaemon(true);
        t.start();
        return new Warm(credentials);
    }

    /** The warm-up under way: {@link #create} waits for it, then builds the client for the region. */
    public static final class Warm {
        private final CompletableFuture<AwsCredentialsProvider> credentials;

        private Warm(CompletableFuture<AwsCredentialsProvider> credentials) {
            this.credentials = credentials;
        }

        public SdkEc2 create(String region, URI endpoint, boolean dryRun) {
            return SdkEc2.create(region, endpoint, dryRun, credentials.join());
        }
    }

    private static SdkEc2 create(String region, URI endpoint, boolean dryRun, AwsCredentialsProvider credentials) {
        Ec2ClientBuilder builder = Ec2Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new CallLog()).retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build()));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return new SdkEc2(builder.build(), dryRun);
    }

    @Override
    public List<Eni> describeNetworkInterfaces(Map<String, String> filters) {
        List<Filter> sdkFilters = new ArrayList<>();
        filters.forEach((name, value) -> sdkFilters.add(Filter.builder().name(name).values(value).build()));
        return call("DescribeNetworkInterfaces", () -> client
                .describeNetworkInterfacesPaginator(r -> r.filters(sdkFilters))
                .networkInterfaces().stream().map(SdkEc2::toEni).toList());
    }

    private static Eni toEni(NetworkInterface n) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : n.tagSet()) {
            tags.put(t.key(), t.value());
        }
        NetworkInterfaceAttachment a = n.attachment();
        Optional<Eni.Attachment> attachment = a == null || a.attachmentId() == null ? Optional.empty()
                : Optional.of(new Eni.Attachment(a.attachmentId(), a.instanceId(),
                        a.deviceIndex() == null ? -1 : a.deviceIndex(),
                        a.networkCardIndex() == null ? 0 : a.networkCardIndex(),
                        Eni.AttachmentState.of(a.statusAsString())));
        List<String> ips = n.privateIpAddresses().stream()
                .sorted(Comparator.comparing(ip -> !Boolean.TRUE.equals(ip.primary())))
                .map(NetworkInterfacePrivateIpAddress::privateIpAddress).toList();
        if (ips.isEmpty() && n.privateIpAddress() != null) {
            ips = List.of(n.privateIpAddress());
        }
        return new Eni(n.networkInterfaceId(), n.macAddress(), n.availabilityZone(), n.subnetId(), ips,
                Eni.State.of(n.statusAsString()), tags, attachment,
                // EC2 always says; an emulator that does not means an ordinary ENI.
                n.interfaceTypeAsString() == null ? "interface" : n.interfaceTypeAsString(),
                Boolean.TRUE.equals(n.requesterManaged()));
    }

    @Override
    public String attachNetworkInterface(String eniId, String instanceId, int deviceIndex) {
        return change("AttachNetworkInterface", () -> client.attachNetworkInterface(r -> r
                .networkInterfaceId(eniId).instanceId(instanceId).deviceIndex(deviceIndex).networkCardIndex(0)
                .dryRun(dryRun)).attachmentId());
    }

    @Override
    public void detachNetworkInterface(String attachmentId) {
        change("DetachNetworkInterface", () -> client.detachNetworkInterface(r -> r.attachmentId(attachmentId)
                .dryRun(dryRun)));
    }

    @Override
    public Map<String, String> instanceTags(String instanceId) {
        return call("DescribeTags", () -> {
            Map<String, String> tags = new LinkedHashMap<>();
            client.describeTagsPaginator(r -> r.filters(Filter.builder().name("resource-id").values(instanceId)
                    .build())).tags().forEach(t -> tags.put(t.key(), t.value()));
            return tags;
        });
    }

    @Override
    public InstanceType instanceType(String name) {
        return call("DescribeInstanceTypes", () -> {
            NetworkInfo n = client.describeInstanceTypes(r -> r.instanceTypesWithStrings(name)).instanceTypes()
                    .stream().findFirst().orElseThrow(() -> new AwsFailure(AwsFailure.Kind.NOT_FOUND,
                            "DescribeInstanceTypes", "InvalidInstanceType", "EC2 does not know instance type " + name, null))
                    .networkInfo();
            // nodeadm counts the default network card's interfaces; the maximum over all cards is the fallback.
            int interfaces = n.networkCards().stream()
                    .filter(c -> c.networkCardIndex() != null && c.networkCardIndex().equals(n.defaultNetworkCardIndex()))
                    .map(NetworkCardInfo::maximumNetworkInterfaces).findFirst().orElse(n.maximumNetworkInterfaces());
            return new InstanceType(name, interfaces, n.ipv4AddressesPerInterface());
        });
    }

    @Override
    public void createTag(String resourceId, String key, String value) {
        change("CreateTags", () -> client.createTags(r -> r.resources(resourceId)
                .tags(Tag.builder().key(key).value(value).build()).dryRun(dryRun)));
    }

    @Override
    public void deleteTag(String resourceId, String key, String value) {
        change("DeleteTags", () -> client.deleteTags(r -> r.resources(resourceId)
                .tags(Tag.builder().key(key).value(value).build()).dryRun(dryRun)));
    }

    /** A changing call: in dry-run mode EC2's "would have succeeded" answer stands for success. */
    private <T> T change(String action, Supplier<T> request) {
        try {
            return call(action, request);
        } catch (AwsFailure f) {
            if (dryRun && "DryRunOperation".equals(f.code())) {
                log.info("dry run: EC2 would accept {}", action);
                return null;
            }
            throw f;
        }
    }

    private static <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (Ec2Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new AwsFailure(AwsFailure.kindOf(code), action, code, message, e);
        } catch (SdkException e) {
            throw new AwsFailure(AwsFailure.Kind.OTHER, action, null, Causes.of(e), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
