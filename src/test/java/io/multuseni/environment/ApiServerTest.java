package io.multuseni.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the Docker tier addresses k3s, from a kubeconfig shaped like the one K3sContainer hands out. */
class ApiServerTest {
    @TempDir
    Path tmp;

    private static String k3sKubeconfig(String host) {
        return "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: Q0EtREFUQQ==\n"
                + "    server: https://" + host + ":32771\n  name: default\n"
                + "contexts:\n- context:\n    cluster: default\n    user: default\n  name: default\n"
                + "current-context: default\n"
                + "users:\n- name: default\n  user:\n    token: admin-token\n";
    }

    @Test
    void aServerOnThisMachineIsAddressedWhereNamespaceBridgesArrive() throws Exception {
        ApiServer server = ApiServer.fromKubeconfig(k3sKubeconfig("localhost"));

        assertThat(server.url()).isEqualTo("https://127.0.0.1:32771");
        assertThat(server.port()).isEqualTo(32771);
        assertThat(server.caData()).isEqualTo("Q0EtREFUQQ==");
        String written = Files.readString(server.kubeconfig(tmp.resolve("kube/config")));
        assertThat(written).contains("server: https://127.0.0.1:32771").doesNotContain("localhost")
                .contains("certificate-authority-data: Q0EtREFUQQ==").contains("token: admin-token");
    }

    @Test
    void aRemoteDockerEnginesServerIsLeftAsItIs() throws Exception {
        ApiServer server = ApiServer.fromKubeconfig(k3sKubeconfig("10.20.30.40"));

        assertThat(server.url()).isEqualTo("https://10.20.30.40:32771");
        assertThat(Files.readString(server.kubeconfig(tmp.resolve("config")))).contains("https://10.20.30.40:32771");
    }
}
