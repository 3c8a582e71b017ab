package io.multuseni.standin;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * fabric8's mock Kubernetes API server in CRUD mode, over plain HTTP on loopback, recording every
 * request (method, path, Authorization header) and reporting every change to an observer, so a test
 * can put API calls and EC2 calls on one timeline.
 */
public final class MockApiServer implements AutoCloseable {
    /** One request as the server saw it. */
    public record Request(String method, String path, String authorization) {}

    /** The mock server logs every request through java.util.logging; held so the setting sticks. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        QUIET.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Namespaced resources (e.g. {@code events}) every request for which is refused with 403. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    /** @param port 0 for any free port; see {@link #freePort()} to start one later on a known port */
    public MockApiServer(int port, Consumer<String> changes) {
        KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(new Request(request.getMethod(), request.getPath(), request.getHeader("Authorization")));
                String resource = request.getPath().replaceFirst("\\?.*", "").replaceFirst(".*/namespaces/[^/]+/", "")
                        .replaceFirst("/.*", "");
                if (refused.contains(resource)) {
                    // What RBAC answers a node whose rights lack the resource.
                    return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                            + "\"status\":\"Failure\",\"message\":\"" + resource + " is forbidden: User \\\"system:node\\\""
                            + " cannot " + request.getMethod().toLowerCase() + " resource \\\"" + resource + "\\\"\","
                            + "\"reason\":\"Forbidden\",\"code\":403}");
                }
                if (!"GET".equals(request.getMethod())) {
                    changes.accept(request.getMethod() + " " + request.getPath().replaceFirst("\\?.*", ""));
                }
                return super.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        client = server.createClient();
    }

    /** A port nothing listens on now, for a server started later (an API server that is down at first). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** A new client of this server (no authentication); the caller closes it. */
    public KubernetesClient newClient() {
        return server.createClient();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Refuses (403, as RBAC does) every request for a namespaced resource, e.g. {@code events}, or stops refusing. */
    public void refuse(String resource, boolean refuse) {
        if (refuse) {
            refused.add(resource);
        } else {
            refused.remove(resource);
        }
    }

    /** Registers a Node as kubelet would, with its zone label. */
    public void registerNode(String name, String zone) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("topology.kubernetes.io/zone", zone).endMetadata().build()).create();
    }

    /** The Node's labels, or null when there is no such Node. */
    public Map<String, String> labels(String name) {
        Node node = client.nodes().withName(name).get();
        return node == null ? null : node.getMetadata().getLabels();
    }

    /** Someone else's edit: removes a label with a JSON Patch. */
    public void removeLabel(String name, String key) {
        client.nodes().withName(name).edit(n -> {
            n.getMetadata().getLabels().remove(key);
            return n;
        });
    }

    /** Writes a kubeconfig for an API server on this loopback port, with a static token. */
    public static Path kubeconfig(Path file, int port) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, "apiVersion: v1\nkind: Config\n"
                    + "clusters:\n- name: standin\n  cluster:\n    server: http://127.0.0.1:" + port + "\n"
                    + "users:\n- name: node\n  user:\n    token: standin-node-token\n"
                    + "contexts:\n- name: standin\n  context:\n    cluster: standin\n    user: node\n"
                    + "current-context: standin\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
