package io.multuseni.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.kube.KubeFailure;
import io.multuseni.kube.Nodes;
import io.multuseni.testing.FakeClock;
import io.multuseni.testing.FakeNodes;
import io.multuseni.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Node's Events as the Kubernetes thread writes them: a repeat adds to the count of one Event, as Kubernetes'
 * own recorder aggregates; what cannot be written waits, folded; a refusal is said once; and the caller never waits.
 */
class EventRecorderTest {
    private static final String NODE = "ip-10-0-1-10.eu-west-2.compute.internal";
    private static final Nodes.Event STANDBY = new Nodes.Event("MultusEniStandby",
            "network default holds no ENI: no free ENI matches multus=true (1 held elsewhere)", false);
    private static final Nodes.Event LAG = new Nodes.Event("MultusEniImdsLag", "IMDS no longer lists eni-1", true);

    private final FakeClock clock = new FakeClock();
    private final FakeNodes nodes = new FakeNodes(clock);
    /** What connecting gives: the fake API server, or a failure (no kubeconfig yet). */
    private final AtomicReference<Supplier<Nodes>> connect = new AtomicReference<>(() -> nodes);
    private final KubeThread kube = new KubeThread(() -> connect.get().get(), () -> "kubeconfig", () -> { });
    private final EventRecorder recorder = new EventRecorder(NODE, kube, clock);

    @AfterEach
    void tearDown() {
        kube.shutdownNow();
    }

    /** Waits until the Kubernetes thread has done what was handed to it before. */
    private void settled() throws Exception {
        kube.await(() -> null);
    }

    @Test
    void aConditionRepeatedOverTwentyChecksIsOneEventWithItsCountAndLastTime() throws Exception {
        Instant first = clock.instant();
        for (int check = 0; check < 20; check++) {
            recorder.record(LAG);
            settled();
            clock.sleep(Duration.ofSeconds(10));
        }
        recorder.record(STANDBY);
        settled();

        assertThat(nodes.events(NODE)).hasSize(2);
        FakeNodes.StoredEvent lag = nodes.events(NODE).get(0);
        assertThat(lag.event()).isEqualTo(LAG);
        assertThat(lag.count()).isEqualTo(20);
        assertThat(lag.first()).isEqualTo(first);
        assertThat(lag.last()).isEqualTo(first.plusSeconds(190));
        assertThat(nodes.calls()).filteredOn(c -> c.startsWith("event ") && !c.startsWith("event again")).hasSize(2);
        assertThat(nodes.calls()).filteredOn(c -> c.startsWith("event again ")).hasSize(19);
    }

    @Test
    void refusedEventsAreSaidOnceAsAWarningAndWrittenWhenAllowedAgain() throws Exception {
        nodes.refuseEvents(true);
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 5; i++) {
                recorder.record(i % 2 == 0 ? STANDBY : LAG);
                settled();
            }
            assertThat(log.text()).containsOnlyOnce("cannot write Events on Node " + NODE)
                    .contains("HTTP 403").contains("create and patch on events");
            assertThat(nodes.events(NODE)).isEmpty();

            nodes.refuseEvents(false);
            recorder.record(STANDBY);
            settled();
            assertThat(log.text()).contains("Events are written on Node " + NODE + " again");
        }
        assertThat(nodes.events(NODE)).extracting(e -> e.event().reason() + " x" + e.count())
                .containsExactly("MultusEniStandby x4", "MultusEniImdsLag x2");
    }

    @Test
    void eventsBeforeTheApiServerCanBeReachedWaitFoldedAndAreWrittenAtTheNextChance() throws Exception {
        connect.set(() -> {
            throw new IllegalStateException("no kubeconfig at /var/lib/kubelet/kubeconfig yet");
        });
        try (LogCapture log = new LogCapture()) {
            recorder.record(STANDBY);
            recorder.record(STANDBY);
            settled();
            assertThat(log.text()).as("the label loop says Kubernetes is unreachable; the Events do not again")
                    .doesNotContain("WARN");
        }
        connect.set(() -> nodes);
        kube.submit(recorder::flush); // as the label loop's next pass does
        settled();

        assertThat(nodes.events(NODE)).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(2));
    }

    @Test
    void aRepeatOfAnExpiredEventWritesItAnew() throws Exception {
        recorder.record(STANDBY);
        settled();
        nodes.expireEvents();
        recorder.record(STANDBY);
        settled();

        assertThat(nodes.events(NODE)).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(1));
    }

    @Test
    void recordingNeverWaitsForTheApiServer() throws Exception {
        java.util.concurrent.CountDownLatch hanging = new java.util.concurrent.CountDownLatch(1);
        connect.set(() -> {
            try {
                hanging.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new KubeFailure("no answer", null);
        });
        for (int i = 0; i < 100; i++) {
            recorder.record(new Nodes.Event("MultusEniStandby", "look " + i, false));
        }
        assertThat(hanging.getCount()).as("every Event recorded while the API server has not answered").isOne();
        hanging.countDown();
    }
}
