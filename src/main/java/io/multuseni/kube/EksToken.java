package io.multuseni.kube;

import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * The bearer token EKS accepts from an IAM identity, made the way {@code aws eks get-token} makes
 * it: a SigV4-presigned STS {@code GetCallerIdentity} URL whose signed headers include
 * {@code x-k8s-aws-id: <cluster>}, base64url-encoded without padding and prefixed {@code k8s-aws-v1.}.
 * EKS honours such a token for 15 minutes from its signing time; it is renewed after 14.
 */
public final class EksToken implements OAuthTokenProvider {
    static final String PREFIX = "k8s-aws-v1.";
    static final String CLUSTER_HEADER = "x-k8s-aws-id";
    /** What {@code aws eks get-token} puts in X-Amz-Expires; EKS itself allows 15 minutes from X-Amz-Date. */
    static final Duration PRESIGN_EXPIRY = Duration.ofSeconds(60);
    static final Duration RENEW_AFTER = Duration.ofMinutes(14);

    private final String cluster;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    public EksToken(String cluster, String region, AwsCredentialsProvider credentials, Clock clock) {
        this.cluster = cluster;
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
    }

    @Override
    public synchronized String getToken() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(renewAt)) {
            token = PREFIX + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(presignedUrl().toString().getBytes(StandardCharsets.UTF_8));
            renewAt = now.plus(RENEW_AFTER);
        }
        return token;
    }

    /**
     * The region's STS endpoint, in its partition's domain: {@code sts.eu-west-2.amazonaws.com}, but
     * {@code sts.cn-north-1.amazonaws.com.cn} in China; EKS checks the token against the STS of its own region.
     */
    static URI stsEndpoint(String region) {
        return URI.create("https://sts." + region + "." + PartitionMetadata.of(Region.of(region)).dnsSuffix() + "/");
    }

    private URI presignedUrl() {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(stsEndpoint(region))
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader(CLUSTER_HEADER, cluster)
                .build();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, PRESIGN_EXPIRY)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock))
                .request().getUri();
    }
}
