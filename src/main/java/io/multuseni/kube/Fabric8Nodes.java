package io.multuseni.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.multuseni.errors.Causes;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Nodes} through fabric8. Adding a label is a JSON merge patch; removing one is a JSON Patch
 * {@code remove} (a merge patch with {@code null} is not honoured everywhere). Both touch only the
 * one label, so concurrent writers of other labels are never overwritten.
 */
public final class Fabric8Nodes implements Nodes {
    /** How often the watch re-lists the Node, in case an event was missed. */
    private static final Duration RESYNC = Duration.ofMinutes(5);
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    private static final Logger log = LoggerFactory.getLogger(Fabric8Nodes.class);
    /** Where Events about cluster-scoped objects (Nodes) live. */
    private static final String EVENTS_NAMESPACE = "default";
    static final String COMPONENT = "multus-eni";
    /** Keeps two Events written in the same nanosecond apart. */
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private final KubernetesClient client;
    private final boolean dryRun;

    /** @param dryRun log label changes instead of making them */
    public Fabric8Nodes(KubernetesClient client, boolean dryRun) {
        this.client = client;
        this.dryRun = dryRun;
    }

    @Override
    public Optional<View> node(String node) {
        return call("get Node " + node, () -> Optional.ofNullable(client.nodes().withName(node).get())
                .map(Fabric8Nodes::view));
    }

    @Override
    public List<View> list() {
        return call("list Nodes", () -> client.nodes().list().getItems().stream().map(Fabric8Nodes::view).toList());
    }

    @Override
    public void addLabel(String node, String key, String value) {
        String patch = "{\"metadata\":{\"labels\":{" + json(key) + ":" + json(value) + "}}}";
        if (dryRun) {
            log.info("dry run: would label Node {} with {}={}", node, key, value);
            return;
        }
        call("label Node " + node, () -> client.nodes().withName(node)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    }

    @Override
    public void annotate(String node, String key, String value) {
        if (dryRun) {
            log.info("dry run: would {} Node {}", value == null ? "remove the annotation " + key + " from"
                    : "annotate " + key + "=" + value + " on", node);
            return;
        }
        if (value != null) {
            call("annotate Node " + node, () -> client.nodes().withName(node).patch(PatchContext.of(
                    PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{" + json(key) + ":" + json(value) + "}}}"));
        } else {
            removePath(node, "/metadata/annotations/", key, "unannotate Node ");
        }
    }

    @Override
    public void removeLabel(String node, String key) {
        if (dryRun) {
            log.info("dry run: would remove label {} from Node {}", key, node);
            return;
        }
        removePath(node, "/metadata/labels/", key, "unlabel Node ");
    }

    /** A JSON Patch remove of one key; a key (or Node) already gone is not an error. */
    private void removePath(String node, String parent, String key, String what) {
        // JSON Pointer escaping (RFC 6901): '~' as ~0, '/' as ~1.
        String path = parent + key.replace("~", "~0").replace("/", "~1");
        try {
            call(what + node, () -> client.nodes().withName(node)
                    .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":" + json(path) + "}]"));
        } catch (KubeFailure f) {
            if (f.getCause() instanceof KubernetesClientException k
                    && (k.getCode() == 422 || k.getCode() == HttpURLConnection.HTTP_NOT_FOUND)) {
                return;
            }
            throw f;
        }
    }

    @Override
    public String createEvent(String node, Event event, int count, Instant first, Instant last) {
        // Named as kubelet names its Events: the object's name and the time in hex nanoseconds, unique enough.
        String name = node + "." + Long.toHexString(first.getEpochSecond() * 1_000_000_000L + first.getNano()
                + SEQUENCE.getAndIncrement());
        if (dryRun) {
            log.info("dry run: would record the Event {} on Node {}: {}", event.reason(), node, event.message());
            return name;
        }
        io.fabric8.kubernetes.api.model.Event e = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(EVENTS_NAMESPACE).endMetadata()
                // The Node's name as its uid, as kubelet does: kubectl describe node looks for both.
                .withNewInvolvedObject().withKind("Node").withName(node).withUid(node).withApiVersion("v1")
                .endInvolvedObject()
                .withReason(event.reason()).withMessage(event.message()).withType(event.warning() ? "Warning" : "Normal")
                .withNewSource().withComponent(COMPONENT).withHost(node).endSource()
                .withReportingComponent(COMPONENT).withReportingInstance(node)
                .withCount(count).withFirstTimestamp(first.truncatedTo(ChronoUnit.SECONDS).toString())
                .withLastTimestamp(last.truncatedTo(ChronoUnit.SECONDS).toString())
                .build();
        call("create Event " + event.reason() + " on Node " + node,
                () -> client.v1().events().inNamespace(EVENTS_NAMESPACE).resource(e).create());
        return name;
    }

    @Override
    public boolean repeatEvent(String name, int count, Instant last) {
        if (dryRun) {
            return true;
        }
        String patch = "{\"count\":" + count + ",\"lastTimestamp\":" + json(last.truncatedTo(ChronoUnit.SECONDS)
                .toString()) + "}";
        try {
            call("patch Event " + name, () -> client.v1().events().inNamespace(EVENTS_NAMESPACE).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
            return true;
        } catch (KubeFailure f) {
            if (f.getCause() instanceof KubernetesClientException k && k.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw f;
        }
    }

    @Override
    public Watch watch(String node, Runnable onChange) {
        SharedIndexInformer<Node> informer = client.nodes().withName(node).runnableInformer(RESYNC.toMillis());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node n) {
                onChange.run();
            }

            @Override
            public void onUpdate(Node before, Node after) {
                onChange.run();
            }

            @Override
            public void onDelete(Node n, boolean finalStateUnknown) {
                onChange.run();
            }
        });
        informer.start();
        return new InformerWatch(informer);
    }

    /** A watch is a running informer: active while it runs. */
    private static class InformerWatch implements Watch {
        final SharedIndexInformer<Node> informer;

        InformerWatch(SharedIndexInformer<Node> informer) {
            this.informer = informer;
        }

        @Override
        public boolean active() {
            return informer.isRunning();
        }

        @Override
        public void close() {
            informer.close();
        }
    }

    @Override
    public ZoneWatch watchZone(String zone, String selector, ZoneListener listener) {
        SharedIndexInformer<Node> informer = client.nodes().withLabel(ZONE_LABEL, zone).withLabel(selector)
                .runnableInformer(RESYNC.toMillis());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node n) {
                listener.changed(null, view(n));
            }

            @Override
            public void onUpdate(Node before, Node after) {
                listener.changed(view(before), view(after));
            }

            @Override
            public void onDelete(Node n, boolean finalStateUnknown) {
                listener.changed(view(n), null);
            }
        });
        informer.start();
        return new ZoneInformerWatch(informer);
    }

    @Override
    public List<View> listZone(String zone, String selector) {
        return call("list Nodes of " + zone, () -> client.nodes().withLabel(ZONE_LABEL, zone).withLabel(selector)
                .list().getItems().stream().map(Fabric8Nodes::view).toList());
    }

    /** The zone's watch also answers from its cache which Nodes it watches. */
    private static final class ZoneInformerWatch extends InformerWatch implements ZoneWatch {
        ZoneInformerWatch(SharedIndexInformer<Node> informer) {
            super(informer);
        }

        @Override
        public Optional<List<View>> nodes() {
            return informer.hasSynced() ? Optional.of(informer.getStore().list().stream().map(Fabric8Nodes::view)
                    .toList()) : Optional.empty();
        }
    }

    private static View view(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        Map<String, String> annotations = node.getMetadata().getAnnotations();
        return new View(node.getMetadata().getName(), labels == null ? Map.of() : Map.copyOf(labels),
                annotations == null ? Map.of() : Map.copyOf(annotations));
    }

    /** One API call, said at debug level with its outcome and duration; a failure is a {@link KubeFailure}. */
    private static <T> T call(String what, Supplier<T> request) {
        long start = System.nanoTime();
        try {
            T answer = request.get();
            log.debug("Kubernetes {}: ok in {} ms", what, (System.nanoTime() - start) / 1_000_000);
            return answer;
        } catch (KubernetesClientException e) {
            log.debug("Kubernetes {}: {} after {} ms", what, describe(e), (System.nanoTime() - start) / 1_000_000);
            throw new KubeFailure(what + ": " + describe(e), e, Math.max(0, e.getCode()));
        }
    }

    private static String describe(KubernetesClientException e) {
        if (e.getCode() > 0) {
            return "HTTP " + e.getCode() + (e.getStatus() != null && e.getStatus().getMessage() != null
                    ? " " + e.getStatus().getMessage() : "");
        }
        return Causes.of(e);
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        client.close();
    }
}
