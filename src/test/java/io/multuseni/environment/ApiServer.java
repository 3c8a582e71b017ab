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
import java.util.function.Supplier;

/** A Kubernetes API server on a loopback port, as an {@link Environment} reaches it. */
public interface ApiServer {
    /** A client with full rights; the caller closes it. */
    KubernetesClient newClient();

    /** Writes a kubeconfig that reaches the server at 127.0.0.1 and {@link #port()}. */
    Path kubeconfig(Path file);

    int port();

    /** The server's address, for a kubeconfig of one's own. */
    String url();

    /** The base64 CA bundle a client must trust, or null for plain HTTP. */
    String caData();

    /** A bearer token the server accepts for reading and labelling Nodes, as a node's own token would. */
    String bearerToken();

    /**
     * fabric8's mock server on a port of its own; {@code current} gives the server of the moment, which
     * a test may have stopped and started again on that port.
     */
    static ApiServer of(Supplier<MockApiServer> current, int port) {
        return new ApiServer() {
            @Override
            public KubernetesClient newClient() {
                return current.get().newClient();
            }

            @Override
            public Path kubeconfig(Path file) {
                return MockApiServer.kubeconfig(file, port);
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String url() {
                return "http://127.0.0.1:" + port;
            }

            @Override
            public String caData() {
                return null;
            }

            @Override
            public String bearerToken() {
                return "any-token-will-do"; // the mock server checks none
            }
        };
    }

    /**
     * A real API server (k3s) from its admin kubeconfig. A server on this machine ("localhost") is
     * addressed as 127.0.0.1, where a network namespace's bridge to that port arrives (k3s's serving
     * certificate names 127.0.0.1); a remote Docker engine's is left as it is, and then only the
     * scenarios that need no namespace can reach it.
     */
    static ApiServer fromKubeconfig(String kubeconfigYaml) {
        Config parsed = Config.fromKubeconfig(kubeconfigYaml);
        URI server = URI.create(parsed.getMasterUrl());
        String address = server.getHost() + ":" + server.getPort();
        String loopback = server.getHost().equals("localhost")
                ? kubeconfigYaml.replace(address, "127.0.0.1:" + server.getPort()) : kubeconfigYaml;
        String url = Config.fromKubeconfig(loopback).getMasterUrl().replaceFirst("/$", "");
        return new ApiServer() {
            private String token;

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

            @Override
            public String url() {
                return url;
            }

            @Override
            public String caData() {
                return parsed.getCaCertData();
            }

            @Override
            public synchronized String bearerToken() {
                if (token == null) {
                    try (KubernetesClient admin = newClient()) {
                        token = NodeServiceAccount.token(admin);
                    }
                }
                return token;
            }
        };
    }
}
