package io.multuseni.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multuseni.config.Config;
import io.multuseni.standin.MockApiServer;
import io.multuseni.testing.ConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's credentials reach the API server: the kubeconfig's exec plugin, or our own EKS token. */
class KubeClientsTest {
    @TempDir
    Path tmp;

    private MockApiServer api;

    @BeforeEach
    void setUp() {
        api = new MockApiServer(0, change -> {});
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    /** A kubeconfig like the kubelet's on EKS: its user runs an exec plugin (here a script) for a token. */
    private Path kubeletStyleKubeconfig(String server) throws Exception {
        Path plugin = tmp.resolve("get-token.sh");
        Files.writeString(plugin, "#!/bin/sh\ntouch " + tmp.resolve("plugin-ran") + "\n"
                + "echo '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
                + "\"status\":{\"token\":\"exec-plugin-token\"}}'\n");
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: kubernetes\n  cluster:\n    server: " + server + "\n"
                + "contexts:\n- name: kubelet\n  context:\n    cluster: kubernetes\n    user: kubelet\n"
                + "current-context: kubelet\n"
                + "users:\n- name: kubelet\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                + "      command: " + plugin + "\n      args: [\"eks\", \"get-token\", \"--cluster-name\", \"prod\"]\n");
        return kubeconfig;
    }

    private Config.Kube kube(Path kubeconfig, String auth) {
        ConfigBuilder b = new ConfigBuilder(tmp);
        b.kubeconfig = kubeconfig.toString();
        b.kubeAuth = auth;
        return b.build().kube();
    }

    @Test
    void theKubeletKubeconfigExecPluginIsHonoured() throws Exception {
        Path kubeconfig = kubeletStyleKubeconfig("http://127.0.0.1:" + api.port());

        try (Nodes nodes = KubeClients.nodes(kube(kubeconfig, "kubeconfig"), "prod", "eu-west-2", false)) {
            assertThat(nodes.labels("ip-10-0-1-10")).isEmpty();
        }

        assertThat(api.requests()).isNotEmpty().allMatch(r -> "Bearer exec-plugin-token".equals(r.authorization()));
    }

    @Test
    void eksTokenModeSignsItsOwnTokenAndNeverRunsThePlugin() throws Exception {
        Path kubeconfig = kubeletStyleKubeconfig("http://127.0.0.1:" + api.port());

        try (Nodes nodes = KubeClients.nodes(kube(kubeconfig, "eks-token"), "prod", "eu-west-2", false)) {
            assertThat(nodes.labels("ip-10-0-1-10")).isEmpty();
        }

        assertThat(api.requests()).isNotEmpty()
                .allMatch(r -> r.authorization() != null && r.authorization().startsWith("Bearer k8s-aws-v1."));
        assertThat(tmp.resolve("plugin-ran")).doesNotExist();
    }

    @Test
    void aMissingKubeconfigSaysWhatToDo() {
        assertThatThrownBy(() -> KubeClients.nodes(kube(tmp.resolve("absent"), "kubeconfig"), "prod", "eu-west-2",
                false)).isInstanceOf(KubeFailure.class).hasMessageContaining("is not there (yet)")
                .hasMessageContaining("--kube-auth eks-token");
    }

    @Test
    void anUnreachableApiServerIsAKubeFailureNotAHang() throws Exception {
        Path kubeconfig = kubeletStyleKubeconfig("http://127.0.0.1:" + MockApiServer.freePort());

        try (Nodes nodes = KubeClients.nodes(kube(kubeconfig, "kubeconfig"), "prod", "eu-west-2", false)) {
            assertThatThrownBy(() -> nodes.labels("ip-10-0-1-10")).isInstanceOf(KubeFailure.class)
                    .hasMessageStartingWith("get Node ip-10-0-1-10: ");
        }
    }
}
