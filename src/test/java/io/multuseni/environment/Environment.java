package io.multuseni.environment;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multuseni.standin.CallLog;
import io.multuseni.standin.Ec2World;
import io.multuseni.standin.Faults;
import io.multuseni.standin.MockApiServer;
import io.multuseni.testing.Await;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Where an integration scenario runs: an EC2 endpoint with an IMDS per instance, a Kubernetes API
 * server, and what makes an attached ENI appear as an interface. Scenarios are written once against
 * this; {@link StandInEnvironment} (our stand-ins, everywhere) and {@link ApiEnvironment} (any EC2
 * and API server reached only through their APIs: LocalStack and k3s in the Docker tier) implement it.
 * What the test itself does to set a scene or look at the outcome goes straight to the backend, never
 * through {@link #ec2Endpoint()}, so it is not counted among the calls of the code under test.
 */
public interface Environment extends AutoCloseable {

    /** What only some backends do; a scenario that needs one says so and is skipped, with this reason, elsewhere. */
    enum Feature {
        EC2_RULES("refuses what EC2 refuses on attach (an ENI in use, a device index taken, another zone,"
                + " the instance's interface limit)"),
        EC2_TIMING("models attach and detach taking time, and attachments that stay stuck in 'attaching'"),
        API_REQUEST_LOG("records every request the Kubernetes API server receives"),
        API_RESTART("has a Kubernetes API server the test can stop and start again on its port"),
        API_REFUSALS("has a Kubernetes API server that can be made to refuse a resource (403), as RBAC would");

        public final String what;

        Feature(String what) {
            this.what = what;
        }
    }

    /** An ENI as created for a scenario, with its primary private address (the pod's static IP). */
    record Eni(String id, String mac, String privateIp) {}

    /** An ENI's attachment as EC2 reports it. */
    record Attachment(String id, String instanceId, int deviceIndex, String status) {}

    /** An ENI's state as EC2 reports it. */
    record EniState(String status, String mac, Optional<Attachment> attachment) {}

    /** A short name for reports, e.g. "stand-in" or "LocalStack + k3s". */
    String name();

    boolean has(Feature feature);

    /** Skips the rest of the scenario, saying why, where the backend lacks the feature. */
    default void assume(Feature feature) {
        Assumptions.assumeTrue(has(feature), () -> "not on " + name() + ": the scenario needs a backend that "
                + feature.what);
    }

    /**
     * Runs what needs the feature (an assertion only a strict backend makes hold, or telling the
     * stand-in to attach slowly) only where the backend has it.
     */
    default void where(Feature feature, Runnable assertions) {
        if (has(feature)) {
            assertions.run();
        }
    }

    /** The stand-in's own model, for what only it can be told (slow or stuck attachments); see {@link #assume}. */
    Ec2World world();

    // ---- EC2 and IMDS ----

    String region();

    /** Where the code under test sends its EC2 calls: counted, and failing on demand. */
    URI ec2Endpoint();

    CallLog calls();

    Faults faults();

    /** A running instance in the zone, tagged {@code eks:cluster-name=<cluster>}, with an IMDS of its own. */
    Instance instance(String zone, String cluster);

    Eni addEni(String zone, Map<String, String> tags);

    EniState eni(String id);

    /**
     * Attaches behind multus-eni's back (another tool, an operator); returns the attachment id. Not
     * counted among the calls; the stand-in puts it on its timeline of changes, as it does every
     * attachment.
     */
    String attach(String eniId, String instanceId, int deviceIndex);

    /** Detaches behind multus-eni's back, forced as an operator in a hurry would; see {@link #attach}. */
    void detach(String attachmentId);

    /** Tags an ENI or instance, as someone else would. */
    void tag(String resourceId, String key, String value);

    /** The instance's primary ENI (device index 0), which every instance has. */
    String primaryEniOf(String instanceId);

    /** Removes a tag of an ENI or instance, as someone else would. */
    void untag(String resourceId, String key);

    Map<String, String> instanceTags(String instanceId);

    /** The variables that point the jar (or the SDK) at this EC2 and the instance's IMDS. */
    default Map<String, String> awsEnv(Instance instance) {
        return Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", instance.imds().endpoint().toString(),
                "AWS_ENDPOINT_URL_EC2", ec2Endpoint().toString());
    }

    // ---- Kubernetes ----

    /** The test's own client of the API server, with full rights; closed with the environment. */
    KubernetesClient kube();

    /** The API server the code under test is pointed at. */
    ApiServer apiServer();

    /** A new client for the code under test; the caller closes it. */
    default KubernetesClient newKubeClient() {
        return apiServer().newClient();
    }

    /** Writes a kubeconfig for the jar, reaching the API server at 127.0.0.1 and {@link #apiPort()}. */
    default Path kubeconfig(Path file) {
        return apiServer().kubeconfig(file);
    }

    default int apiPort() {
        return apiServer().port();
    }

    /** The requests the API server received, in order; see {@link Feature#API_REQUEST_LOG}. */
    List<MockApiServer.Request> apiRequests();

    /** Stops the API server; see {@link Feature#API_RESTART}. */
    void stopApi();

    /** Starts the API server again on the same port, empty; see {@link Feature#API_RESTART}. */
    void startApi();

    /** Registers a Node as kubelet would, with its zone label; it is deleted when the environment closes. */
    default void registerNode(String name, String zone) {
        kube().nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("topology.kubernetes.io/zone", zone).endMetadata().build()).create();
    }

    /** The Node's labels, or null when there is no such Node. */
    default Map<String, String> labels(String name) {
        io.fabric8.kubernetes.api.model.Node node = kube().nodes().withName(name).get();
        return node == null ? null : node.getMetadata().getLabels();
    }

    /** Waits until the Node carries the label with the value "true" ({@code present}), or until it does not. */
    default void awaitLabel(String node, String label, boolean present, Duration timeout) throws InterruptedException {
        Await.until("label " + label + (present ? " set" : " gone") + " on " + node, timeout, () -> labels(node),
                labels -> labels != null && present == "true".equals(labels.get(label)));
    }

    /** Waits until the Node carries the annotation ({@code present}, whatever its value), or until it does not. */
    default void awaitAnnotation(String node, String key, boolean present, Duration timeout)
            throws InterruptedException {
        Await.until("annotation " + key + (present ? " set" : " gone") + " on " + node, timeout,
                () -> annotations(node), annotations -> annotations != null && annotations.containsKey(key) == present);
    }

    /** Waits until EC2 reports the ENI in this state ({@code available}, {@code in-use}). */
    default void awaitEni(String id, String status, Duration timeout) throws InterruptedException {
        Await.until(id + " " + status, timeout, () -> eni(id).status(), status::equals);
    }

    /** The Node's annotations (empty when it has none), or null when there is no such Node. */
    default Map<String, String> annotations(String name) {
        io.fabric8.kubernetes.api.model.Node node = kube().nodes().withName(name).get();
        return node == null ? null : node.getMetadata().getAnnotations() == null ? Map.of()
                : node.getMetadata().getAnnotations();
    }

    /** Refuses (403) every request for a namespaced resource such as {@code events}; see {@link Feature#API_REFUSALS}. */
    void refuseApi(String resource, boolean refuse);

    /** The Events about the Node, oldest first, as {@code kubectl get events} lists them. */
    default List<io.fabric8.kubernetes.api.model.Event> events(String node) {
        return kube().v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "Node".equals(e.getInvolvedObject().getKind())
                        && node.equals(e.getInvolvedObject().getName()))
                .sorted(java.util.Comparator.comparing(io.fabric8.kubernetes.api.model.Event::getFirstTimestamp)
                        .thenComparing(e -> e.getMetadata().getName()))
                .toList();
    }

    /** Someone else's edit: removes a label. */
    default void removeLabel(String name, String key) {
        kube().nodes().withName(name).edit(n -> {
            n.getMetadata().getLabels().remove(key);
            return n;
        });
    }

    /** Closed with the environment (bridges, namespaces), in reverse order, before its backends. */
    void closeWith(AutoCloseable closeable);

    @Override
    void close();
}
