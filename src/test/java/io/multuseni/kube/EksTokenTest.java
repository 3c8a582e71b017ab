package io.multuseni.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.testing.FakeClock;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class EksTokenTest {
    private final FakeClock clock = new FakeClock();
    private final EksToken token = new EksToken("prod", "eu-west-2",
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), clock);

    private static URI decode(String token) {
        assertThat(token).startsWith("k8s-aws-v1.").doesNotContain("=");
        return URI.create(new String(Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())),
                StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return q;
    }

    @Test
    void theTokenIsAPresignedStsGetCallerIdentityUrlSigningTheClusterHeader() {
        URI url = decode(token.getToken());

        assertThat(url.getScheme()).isEqualTo("https");
        assertThat(url.getHost()).isEqualTo("sts.eu-west-2.amazonaws.com");
        Map<String, String> q = query(url);
        assertThat(q).containsEntry("Action", "GetCallerIdentity").containsEntry("Version", "2011-06-15")
                .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256").containsEntry("X-Amz-Expires", "60")
                .containsEntry("X-Amz-Date", "20261126T000000Z")
                .containsKey("X-Amz-Signature");
        assertThat(q.get("X-Amz-Credential")).isEqualTo("AKIDEXAMPLE/20261126/eu-west-2/sts/aws4_request");
        assertThat(q.get("X-Amz-SignedHeaders").split(";")).contains("host", "x-k8s-aws-id");
    }

    @Test
    void theStsEndpointIsInTheRegionsPartition() {
        assertThat(EksToken.stsEndpoint("eu-west-2")).hasToString("https://sts.eu-west-2.amazonaws.com/");
        assertThat(EksToken.stsEndpoint("cn-north-1")).hasToString("https://sts.cn-north-1.amazonaws.com.cn/");
        assertThat(EksToken.stsEndpoint("us-gov-west-1")).hasToString("https://sts.us-gov-west-1.amazonaws.com/");
    }

    @Test
    void theTokenIsReusedAndRenewedBeforeEksStopsHonouringIt() throws Exception {
        String first = token.getToken();
        clock.sleep(Duration.ofMinutes(13));
        assertThat(token.getToken()).isEqualTo(first);

        clock.sleep(Duration.ofMinutes(1));
        String renewed = token.getToken();

        assertThat(renewed).isNotEqualTo(first);
        assertThat(query(decode(renewed))).containsEntry("X-Amz-Date", "20261126T001400Z");
    }
}
