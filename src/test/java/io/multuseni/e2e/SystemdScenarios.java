package io.multuseni.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.environment.Backend;
import io.multuseni.environment.Scenarios;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar's systemd side that needs no interfaces, so no root: it runs in this machine's own
 * network namespace against an EC2 with IMDS and an API server on loopback, with no ENI to take
 * (nothing is attached or renamed here). Written once, run against each {@link Backend}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class SystemdScenarios extends Scenarios {
    @TempDir
    Path tmp;

    private Map<String, String> vars;

    SystemdScenarios(Backend backend) {
        super(backend);
    }

    @BeforeAll
    static void needsTheJar() {
        assertThat(Node.JAR).as("the shaded jar (mvn package)").exists();
    }

    @BeforeEach
    void setUp() {
        vars = new HashMap<>(env.awsEnv(env.instance("eu-west-2a", "prod")));
        vars.put("MULTUS_ENI_CONFIG", tmp.resolve("absent.conf").toString());
        vars.put("MULTUS_ENI_STATE_DIR", tmp.resolve("state").toString());
        vars.put("MULTUS_ENI_NETWORK_CONFIG_DIR", tmp.resolve("network").toString());
        vars.put("MULTUS_ENI_KUBECONFIG", env.kubeconfig(tmp.resolve("kubeconfig")).toString());
        vars.put("MULTUS_ENI_BOOT_WAIT", "0s");
    }

    @Test
    void anAbstractNotifySocketGetsReadyWithTheReasonWhenNoEniIsFreeThenStopping() throws Exception {
        try (NotifySocket notify = new NotifySocket("@multus-eni-test-" + ProcessHandle.current().pid())) {
            vars.put("NOTIFY_SOCKET", notify.address);
            try (Node.Running run = Node.startOnHost(vars, "run")) { // killed should an assertion fail first
                String ready = notify.await("READY=1", Duration.ofSeconds(60));
                assertThat(ready).contains("STATUS=standby: no free ENI matches multus=true,cluster=prod,"
                        + "Zone=eu-west-2a in eu-west-2a");

                run.process().toHandle().destroy();
                notify.await("STOPPING=1", Duration.ofSeconds(30));
                Node.Result result = run.await(60);
                assertThat(result.exit()).as(result.err()).isZero();
            }
        }
    }

    @Test
    void underJournaldLinesCarryTheLevelPrefixAndNoTimestamp() throws Exception {
        vars.put("JOURNAL_STREAM", "8:12345");
        Node.Result journal = Node.startOnHost(vars, "attach", "--dry-run").await(60);
        vars.remove("JOURNAL_STREAM");
        Node.Result terminal = Node.startOnHost(vars, "attach", "--dry-run").await(60);

        assertThat(journal.exit()).isEqualTo(75);
        assertThat(journal.err().lines()).isNotEmpty().allMatch(l -> l.matches("<[3-7]>\\S.*"));
        assertThat(journal.err()).contains("<6>multus-eni ").contains("<4>no ENI attached");
        assertThat(terminal.err().lines()).isNotEmpty()
                .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO |WARN |ERROR) .*"));
    }
}
