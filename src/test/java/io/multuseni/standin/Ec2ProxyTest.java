package io.multuseni.standin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy the Docker tier puts in front of LocalStack, against a recording upstream. */
class Ec2ProxyTest {
    private static final String SIGNED = "AWS4-HMAC-SHA256 Credential=ASIASTANDIN/20261126/eu-west-2/ec2/aws4_request,"
            + " SignedHeaders=host;x-amz-date, Signature=abc";

    private final List<Headers> seen = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private HttpServer upstream;
    private Ec2Proxy proxy;

    @BeforeEach
    void setUp() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                seen.add(exchange.getRequestHeaders());
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] reply = "<AttachNetworkInterfaceResponse/>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/xml");
                exchange.getResponseHeaders().set("x-amzn-RequestId", "req-1");
                exchange.sendResponseHeaders(200, reply.length);
                exchange.getResponseBody().write(reply);
            }
        });
        upstream.start();
        proxy = new Ec2Proxy(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()), "123456789012");
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        upstream.stop(0);
    }

    private HttpResponse<String> call(String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.endpoint().resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", SIGNED).header("X-Amz-Security-Token", "standin-token")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallGoesThroughAsTheEnvironmentsAccountAndItsChangeIsRecorded() throws Exception {
        HttpResponse<String> response = call("Action=AttachNetworkInterface&NetworkInterfaceId=eni-1&InstanceId=i-1"
                + "&DeviceIndex=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("<AttachNetworkInterfaceResponse/>");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).contains("req-1");
        assertThat(bodies).containsExactly("Action=AttachNetworkInterface&NetworkInterfaceId=eni-1&InstanceId=i-1"
                + "&DeviceIndex=1");
        assertThat(seen.get(0).getFirst("Authorization"))
                .isEqualTo(SIGNED.replace("ASIASTANDIN", "123456789012"));
        assertThat(seen.get(0).containsKey("X-Amz-Security-Token")).isFalse();
        assertThat(proxy.log().calls("AttachNetworkInterface")).isEqualTo(1);
        assertThat(proxy.log().mutations()).containsExactly("AttachNetworkInterface eni-1 i-1 1");
    }

    @Test
    void aFaultIsAnsweredHereAndNeverReachesTheEc2Behind() throws Exception {
        proxy.faults().throttle("AttachNetworkInterface", 1);

        HttpResponse<String> response = call("Action=AttachNetworkInterface&NetworkInterfaceId=eni-1");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("<Code>RequestLimitExceeded</Code>");
        assertThat(seen).isEmpty();
        assertThat(proxy.log().calls("AttachNetworkInterface")).isEqualTo(1);
        assertThat(proxy.log().mutations()).isEmpty();
    }

    @Test
    void readsAndDryRunsChangeNothingOnTheTimeline() throws Exception {
        call("Action=DescribeNetworkInterfaces");
        call("Action=CreateTags&ResourceId.1=i-1&DryRun=true");

        assertThat(seen).hasSize(2);
        assertThat(proxy.log().totalCalls()).isEqualTo(2);
        assertThat(proxy.log().mutations()).isEmpty();
    }
}
