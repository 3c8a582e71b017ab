package io.multuseni.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.cli.Main;
import io.multuseni.standin.Ec2World;
import io.multuseni.standin.MockApiServer;
import io.multuseni.standin.StandIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code multus-eni doctor} against the EC2 + IMDS stand-in and the mock API server. */
class DoctorTest {
    @TempDir
    Path tmp;

    private StandIn standIn;
    private MockApiServer api;
    private Map<String, String> env;
    private Ec2World.Eni eni;

    @BeforeEach
    void setUp() {
        standIn = new StandIn("eu-west-2");
        standIn.instance("i-1", "eu-west-2a", "prod");
        api = new MockApiServer(0, change -> {});
        eni = standIn.world.addEni("eu-west-2a", Map.of("multus", "true", "cluster", "prod", "Zone", "eu-west-2a",
                "node.k8s.amazonaws.com/no_manage", "true"));
        env = new HashMap<>(standIn.env("i-1"));
        env.put("MULTUS_ENI_CONFIG", tmp.resolve("absent.conf").toString());
        env.put("MULTUS_ENI_NETWORK_CONFIG_DIR", tmp.resolve("network").toString());
        env.put("MULTUS_ENI_STATE_DIR", tmp.resolve("state").toString());
        env.put("MULTUS_ENI_KUBECONFIG", MockApiServer.kubeconfig(tmp.resolve("kubeconfig"), api.port()).toString());
    }

    @AfterEach
    void tearDown() {
        api.close();
        standIn.close();
    }

    private record Run(int exit, String out) {}

    private Run doctor(String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[extra.length + 1];
            args[0] = "doctor";
            System.arraycopy(extra, 0, args, 1, extra.length);
            return new Run(Main.execute(args, env), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(previous);
        }
    }

    @Test
    void aGoodNodePassesEveryCheckAndNothingChanges() {
        Run run = doctor();

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out().lines()).allMatch(l -> l.startsWith("✓ "));
        assertThat(run.out()).contains("✓ IMDSv2: instance i-1 in eu-west-2a (eu-west-2)")
                .contains("✓ cluster name: prod (instance tags)")
                .contains("✓ candidate ENIs: " + eni.id + " available")
                .contains("✓ ec2:AttachNetworkInterface: allowed")
                .contains("✓ ec2:DetachNetworkInterface: not tried: this instance holds no ENI")
                .contains("✓ ec2:CreateTags: allowed").contains("✓ ec2:DeleteTags: allowed")
                .contains("✓ Kubernetes: the API server answered; Node ip-10-0-1-10.eu-west-2.compute.internal"
                        + " has not registered yet")
                .contains("✓ network config dir");
        assertThat(standIn.world.mutations()).isEmpty();
        assertThat(standIn.world.calls("AttachNetworkInterface")).isEqualTo(1);
    }

    @Test
    void aDeniedPermissionIsNamedWithItsFixAndFailsTheRun() {
        standIn.world.faults().deny("CreateTags");

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("✗ ec2:CreateTags: denied: CreateTags failed: UnauthorizedOperation")
                .contains("fix: grant ec2:CreateTags to the node's instance role (docs/iam-policy.json)")
                .contains("✓ ec2:DeleteTags: allowed");
        assertThat(standIn.world.mutations()).isEmpty();
    }

    @Test
    void missingEnisAndTheVpcCniGuardAreReported() {
        standIn.world.eni(eni.id).tags.remove("node.k8s.amazonaws.com/no_manage");
        Run unguarded = doctor();
        assertThat(unguarded.exit()).isEqualTo(1);
        assertThat(unguarded.out()).contains("✗ VPC CNI kept away: " + eni.id + " lack node.k8s.amazonaws.com/no_manage");

        standIn.world.eni(eni.id).tags.put("cluster", "other");
        Run none = doctor("--json");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.out()).startsWith("{\"ok\": false, \"checks\": [{\"check\": \"IMDSv2\", \"ok\": true")
                .contains("{\"check\": \"candidate ENIs\", \"ok\": false, \"detail\": \"none tagged"
                        + " multus=true,cluster=prod,Zone=eu-west-2a in eu-west-2a\"");
    }

    @Test
    void noImdsMeansOnlyTheLocalChecksCanRun() {
        standIn.imds("i-1").down(true);

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out().lines().map(l -> l.replaceFirst(":.*", "")).toList()).containsSubsequence(
                List.of("✗ IMDSv2", "    fix", "✓ interface name", "✓ network config dir"));
        assertThat(standIn.world.totalCalls()).isZero();
    }
}
