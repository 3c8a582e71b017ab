package io.multuseni.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.environment.Backend;
import io.multuseni.environment.Environment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar's systemd side that needs no interfaces, so no root: it runs in this machine's own
 * network namespace against an EC2 with IMDS and an API server on loopback, with no ENI to take
 * (nothing is attached or renamed here). Written once, run against each {@link Backend} by a subclass.
 */
abstract class SystemdScenarios {
    @TempDir
    Path tmp;

    private final Backend backend;
    private Environment backends;
    private Map<String, String> env;

    SystemdScenarios(Backend backend) {
        this.backend = backend;
    }

    @BeforeAll
    static void needsTheJar() {
        assertThat(Node.JAR).as("the shaded jar (mvn package)").exists();
    }

    @BeforeEach
    void setUp() {
        backends = backend.newEnvironment();
        env = new HashMap<>(backends.awsEnv(backends.instance("eu-west-2a", "prod")));
        env.put("MULTUS_ENI_CONFIG", tmp.resolve("absent.conf").toString());
        env.put("MULTUS_ENI_STATE_DIR", tmp.resolve("state").toString());
        env.put("MULTUS_ENI_NETWORK_CONFIG_DIR", tmp.resolve("network").toString());
        env.put("MULTUS_ENI_KUBECONFIG", backends.kubeconfig(tmp.resolve("kubeconfig")).toString());
        env.put("MULTUS_ENI_BOOT_WAIT", "0s");
    }

    @AfterEach
    void tearDown() {
        backends.close();
    }

    @Test
    void anAbstractNotifySocketGetsReadyWithTheReasonWhenNoEniIsFreeThenStopping() throws Exception {
        try (NotifySocket notify = new NotifySocket("@multus-eni-test-" + ProcessHandle.current().pid())) {
            env.put("NOTIFY_SOCKET", notify.address);
            Node.Running run = Node.startOnHost(env, "run");

            String ready = notify.await("READY=1", Duration.ofSeconds(60));
            assertThat(ready).contains("STATUS=standby: no free ENI matches multus=true,cluster=prod,Zone=eu-west-2a"
                    + " in eu-west-2a");

            run.process().toHandle().destroy();
            notify.await("STOPPING=1", Duration.ofSeconds(30));
            Node.Result result = run.await(60);
            assertThat(result.exit()).as(result.err()).isZero();
        }
    }

    @Test
    void underJournaldLinesCarryTheLevelPrefixAndNoTimestamp() throws Exception {
        env.put("JOURNAL_STREAM", "8:12345");
        Node.Result journal = Node.startOnHost(env, "attach", "--dry-run").await(60);
        env.remove("JOURNAL_STREAM");
        Node.Result terminal = Node.startOnHost(env, "attach", "--dry-run").await(60);

        assertThat(journal.exit()).isEqualTo(75);
        assertThat(journal.err().lines()).isNotEmpty().allMatch(l -> l.matches("<[3-7]>\\S.*"));
        assertThat(journal.err()).contains("<6>multus-eni ").contains("<4>no ENI attached");
        assertThat(terminal.err().lines()).isNotEmpty()
                .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO |WARN |ERROR) .*"));
    }
}
