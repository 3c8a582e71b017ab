package io.multuseni.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multuseni.testing.ConfigBuilder;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --api-server} carries the node's bearer token: https anywhere, plain http only to this machine (a local
 * proxy or tunnel), and nothing that merely starts like a loopback address.
 */
class ApiServerRuleTest {
    @TempDir
    Path tmp;

    private Config withApiServer(String url) {
        ConfigBuilder b = new ConfigBuilder(tmp);
        b.set(Settings.API_SERVER, url);
        return b.build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://ABCD.gr7.eu-west-2.eks.amazonaws.com", "http://127.0.0.1:8080",
            "http://127.10.0.3", "http://localhost:6443", "http://[::1]:8080"})
    void httpsAnywhereAndHttpToThisMachineAreTaken(String url) {
        assertThat(withApiServer(url).kube().apiServer()).contains(URI.create(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1.example.com", "http://localhost.example.com:8080", "http://10.0.0.1",
            "http://[::ffff:10.0.0.1]", "http://1270.0.0.1"})
    void httpToAnythingElseIsRefusedNamingTheValue(String url) {
        assertThatThrownBy(() -> withApiServer(url)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--api-server '" + url + "'")
                .hasMessageContaining("the node's token would cross the network in clear");
    }
}
