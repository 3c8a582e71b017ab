package io.multuseni.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multuseni.config.Config;
import io.multuseni.config.Settings;
import io.multuseni.environment.Backend;
import io.multuseni.environment.Environment.Feature;
import io.multuseni.environment.Scenarios;
import io.multuseni.standin.MockApiServer;
import io.multuseni.testing.ConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's credentials reach the API server: the kubeconfig's exec plugin, or our own EKS token.
 * Written once, run against each {@link Backend}: on a real API server (k3s) only a
 * token it accepts gets an answer; a recording server (the mock) shows which token was sent.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class KubeClientsScenarios extends Scenarios {
    @TempDir
    Path tmp;


    KubeClientsScenarios(Backend backend) {
        super(backend);
    }

    /**
     * A kubeconfig like the kubelet's on EKS: its user runs an exec plugin (here a script) for a token,
     * one the server accepts for a node.
     */
    private Path kubeletStyleKubeconfig(String server) throws Exception {
        Path plugin = tmp.resolve("get-token.sh");
        Files.writeString(plugin, "#!/bin/sh\ntouch " + tmp.resolve("plugin-ran") + "\n"
                + "echo '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
                + "\"status\":{\"token\":\"" + env.apiServer().bearerToken() + "\"}}'\n");
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        String ca = env.apiServer().caData();
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: kubernetes\n  cluster:\n    server: " + server + "\n"
                + (ca == null ? "" : "    certificate-authority-data: " + ca + "\n")
                + "contexts:\n- name: kubelet\n  context:\n    cluster: kubernetes\n    user: kubelet\n"
                + "current-context: kubelet\n"
                + "users:\n- name: kubelet\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                + "      command: " + plugin + "\n      args: [\"eks\", \"get-token\", \"--cluster-name\", \"prod\"]\n");
        return kubeconfig;
    }

    private Config.Kube kube(Path kubeconfig, String auth) {
        ConfigBuilder b = new ConfigBuilder(tmp);
        b.set(Settings.KUBECONFIG, kubeconfig.toString());
        b.set(Settings.KUBE_AUTH, auth);
        return b.build().kube();
    }

    @Test
    void theKubeletKubeconfigExecPluginIsHonoured() throws Exception {
        Path kubeconfig = kubeletStyleKubeconfig(env.apiServer().url());
        env.registerNode("ip-10-0-1-10", "eu-west-2a");

        try (Nodes nodes = KubeClients.nodes(kube(kubeconfig, "kubeconfig"), "prod", "eu-west-2", false)) {
            assertThat(nodes.node("ip-10-0-1-10").orElseThrow().labels())
                    .containsEntry("topology.kubernetes.io/zone", "eu-west-2a");
        }

        assertThat(tmp.resolve("plugin-ran")).exists();
        String bearer = "Bearer " + env.apiServer().bearerToken();
        env.where(Feature.API_REQUEST_LOG, () -> assertThat(env.apiRequests())
                .filteredOn(r -> !"POST".equals(r.method())) // the test's own registration
                .isNotEmpty().allMatch(r -> bearer.equals(r.authorization())));
    }

    @Test
    void eksTokenModeSignsItsOwnTokenAndNeverRunsThePlugin() throws Exception {
        // Only EKS checks an EKS token; a server that records requests shows ours was sent.
        env.assume(Feature.API_REQUEST_LOG);
        Path kubeconfig = kubeletStyleKubeconfig(env.apiServer().url());

        try (Nodes nodes = KubeClients.nodes(kube(kubeconfig, "eks-token"), "prod", "eu-west-2", false)) {
            assertThat(nodes.node("ip-10-0-1-10")).isEmpty();
        }

        assertThat(env.apiRequests()).isNotEmpty()
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
            assertThatThrownBy(() -> nodes.node("ip-10-0-1-10")).isInstanceOf(KubeFailure.class)
                    .hasMessageStartingWith("get Node ip-10-0-1-10: ");
        }
    }
}
