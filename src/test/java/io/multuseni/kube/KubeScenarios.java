package io.multuseni.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.multuseni.config.LabelSpec;
import io.multuseni.environment.Backend;
import io.multuseni.environment.Environment.Feature;
import io.multuseni.environment.Scenarios;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * fabric8 against a Kubernetes API server: read, label, unlabel, watch, claim. Written once, run
 * against each {@link Backend} (fabric8's mock server in CRUD mode, or k3s).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class KubeScenarios extends Scenarios {
    private static final String KEY = "cluster.custom.tags/multus-attached";
    private static final String CLAIM = "multus-eni.io/claim-multus";
    private Fabric8Nodes nodes;

    KubeScenarios(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void setUp() {
        nodes = new Fabric8Nodes(env.newKubeClient(), false);
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    /** An Event as kubelet writes its own, so kubectl describe node shows it; a repeat adds to its count. */
    @Test
    void anEventIsWrittenAboutTheNodeAndARepeatAddsToItsCount() {
        env.registerNode("ip-10-0-1-10", "eu-west-2a");
        Instant first = Instant.parse("2026-12-04T10:00:00.250Z");

        String name = nodes.createEvent("ip-10-0-1-10", new Nodes.Event("MultusEniAttached", "attached eni-1 for"
                + " network default", false), 1, first, first);
        assertThat(nodes.repeatEvent(name, 3, first.plusSeconds(30))).isTrue();

        Event e = env.kube().v1().events().inNamespace("default").withName(name).get();
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
        assertThat(e.getInvolvedObject().getName()).isEqualTo("ip-10-0-1-10");
        assertThat(e.getReason()).isEqualTo("MultusEniAttached");
        assertThat(e.getMessage()).isEqualTo("attached eni-1 for network default");
        assertThat(e.getType()).isEqualTo("Normal");
        assertThat(e.getSource().getComponent()).isEqualTo("multus-eni");
        assertThat(e.getSource().getHost()).isEqualTo("ip-10-0-1-10");
        assertThat(e.getCount()).isEqualTo(3);
        assertThat(e.getFirstTimestamp()).isEqualTo("2026-12-04T10:00:00Z");
        assertThat(e.getLastTimestamp()).isEqualTo("2026-12-04T10:00:30Z");
        assertThat(nodes.repeatEvent("ip-10-0-1-10.gone", 2, first)).as("an Event expired").isFalse();
    }

    @Test
    void aNodeThatHasNotRegisteredHasNoLabels() {
        assertThat(nodes.node("ip-10-0-1-10")).isEmpty();
    }

    @Test
    void aLabelIsAddedAndRemovedLeavingOtherLabelsAlone() {
        env.registerNode("ip-10-0-1-10", "eu-west-2a");

        nodes.addLabel("ip-10-0-1-10", KEY, "true");

        assertThat(env.labels("ip-10-0-1-10")).containsEntry(KEY, "true")
                .containsEntry("topology.kubernetes.io/zone", "eu-west-2a");
        assertThat(nodes.node("ip-10-0-1-10").orElseThrow().labels()).containsEntry(KEY, "true");

        nodes.removeLabel("ip-10-0-1-10", KEY);

        assertThat(env.labels("ip-10-0-1-10")).doesNotContainKey(KEY).containsKey("topology.kubernetes.io/zone");
        nodes.removeLabel("ip-10-0-1-10", KEY); // already gone: not an error
    }

    @Test
    void dryRunChangesNoLabelAndNoAnnotation() {
        env.registerNode("ip-10-0-1-10", "eu-west-2a");
        try (Fabric8Nodes dry = new Fabric8Nodes(env.newKubeClient(), true)) {
            dry.addLabel("ip-10-0-1-10", KEY, "true");
            dry.annotate("ip-10-0-1-10", CLAIM, java.time.Instant.now().toString());
        }
        assertThat(env.labels("ip-10-0-1-10")).doesNotContainKey(KEY);
        assertThat(java.util.Optional.ofNullable(env.kube().nodes().withName("ip-10-0-1-10").get().getMetadata()
                .getAnnotations()).orElse(java.util.Map.of())).doesNotContainKey(CLAIM);
        // Where requests are logged: the dry run sent no change at all.
        env.where(Feature.API_REQUEST_LOG, () -> assertThat(env.apiRequests())
                .filteredOn(r -> !r.method().equals("GET"))
                .extracting(r -> r.method() + " " + r.path().replaceFirst("\\?.*", ""))
                .containsExactly("POST /api/v1/nodes"));
    }

    @Test
    void theWatchSeesTheNodeRegisterAndItsLabelsChange() throws Exception {
        Semaphore events = new Semaphore(0);
        try (Nodes.Watch watch = nodes.watch("ip-10-0-1-10", events::release)) {
            env.registerNode("ip-10-0-1-10", "eu-west-2a");
            assertThat(events.tryAcquire(10, TimeUnit.SECONDS)).as("event on registration").isTrue();
            assertThat(watch.active()).isTrue();

            nodes.addLabel("ip-10-0-1-10", KEY, "true");
            env.removeLabel("ip-10-0-1-10", KEY);

            assertThat(events.tryAcquire(2, 10, TimeUnit.SECONDS)).as("events on both label changes").isTrue();
        }
    }

    /**
     * The zone watch shows, and tells changes of, only the zone's Nodes carrying the selector key; a Node that
     * loses the key leaves the selection and is told as gone, with its last state (how a release is seen).
     */
    @Test
    void theZoneWatchSelectsByZoneAndKeyAndTellsALeavingNodeAsGone() throws Exception {
        String selector = "multus-eni.io/holding-or-claiming";
        env.registerNode("holder", "eu-west-2a");
        env.registerNode("standby", "eu-west-2a");
        env.registerNode("elsewhere", "eu-west-2b");
        nodes.addLabel("holder", selector, "true");
        nodes.addLabel("elsewhere", selector, "true");
        BlockingQueue<String> told = new LinkedBlockingQueue<>();
        Nodes.ZoneListener listener = (before, after) -> told.add((before == null ? "-" : before.name()
                + (before.labels().containsKey(KEY) ? "+label" : "")) + " -> " + (after == null ? "gone"
                : after.name() + (after.labels().containsKey(KEY) ? "+label" : "")));
        try (Nodes.ZoneWatch zone = nodes.watchZone("eu-west-2a", selector, listener)) {
            assertThat(told.poll(10, TimeUnit.SECONDS)).isEqualTo("- -> holder");
            long until = System.currentTimeMillis() + 10_000;
            while (zone.nodes().isEmpty() && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            assertThat(zone.nodes().orElseThrow()).extracting(Nodes.View::name).containsExactly("holder");
            assertThat(nodes.listZone("eu-west-2a", selector)).extracting(Nodes.View::name).containsExactly("holder");

            nodes.addLabel("holder", KEY, "true");
            assertThat(told.poll(10, TimeUnit.SECONDS)).isEqualTo("holder -> holder+label");
            nodes.annotate("standby", CLAIM, "2026-12-02T10:00:00Z"); // not selected: not told
            nodes.removeLabel("elsewhere", selector); // another zone: not told
            nodes.removeLabel("holder", selector);
            assertThat(told.poll(10, TimeUnit.SECONDS)).isEqualTo("holder+label -> gone");
            assertThat(told.poll(1, TimeUnit.SECONDS)).as("nothing else").isNull();
        }
    }
}
