package io.multuseni.environment;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.multuseni.standin.MockApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Kubernetes API server on a loopback port, as an {@link ApiEnvironment} reaches it. */
public interface ApiServer {
    KubernetesClient newClient();

    /** Writes a kubeconfig that reaches the server at 127.0.0.1 and {@link #port()}. */
    Path kubeconfig(Path file);

    int port();

    static ApiServer of(MockApiServer server) {
        return new ApiServer() {
            @Override
            public KubernetesClient newClient() {
                return server.newClient();
            }

            @Override
            public Path kubeconfig(Path file) {
                return MockApiServer.kubeconfig(file, server.port());
            }

            @Override
            public int port() {
                return server.port();
            }
        };
    }

    /**
     * A real API server (k3s) from its admin kubeconfig, whose server address is rewritten to
     * 127.0.0.1 so that a network namespace bridged to that port reaches it (k3s's serving
     * certificate names 127.0.0.1).
     */
    static ApiServer fromKubeconfig(String kubeconfigYaml) {
        Config parsed = Config.fromKubeconfig(kubeconfigYaml);
        URI server = URI.create(parsed.getMasterUrl());
        String loopback = kubeconfigYaml.replace(server.getHost() + ":" + server.getPort(),
                "127.0.0.1:" + server.getPort());
        return new ApiServer() {
            @Override
            public KubernetesClient newClient() {
                return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(loopback)).build();
            }

            @Override
            public Path kubeconfig(Path file) {
                try {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    return Files.writeString(file, loopback);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public int port() {
                return server.getPort();
            }
        };
    }
}
