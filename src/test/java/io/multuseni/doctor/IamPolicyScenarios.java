package io.multuseni.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.cli.Main;
import io.multuseni.environment.Backend;
import io.multuseni.environment.Instance;
import io.multuseni.environment.Scenarios;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EC2 actions an EC2 sees while the commands that use them all run are exactly those
 * docs/iam-policy.json grants. Written once, run against each {@link Backend}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class IamPolicyScenarios extends Scenarios {
    @TempDir
    Path tmp;

    IamPolicyScenarios(Backend backend) {
        super(backend);
    }

    @Test
    void theCommandsCallExactlyTheActionsThePolicyGrants() throws Exception {
        Instance instance = env.instance("eu-west-2a", "prod");
        Map<String, String> tags = Map.of("multus", "true", "cluster", "prod", "Zone", "eu-west-2a");
        String held = env.addEni("eu-west-2a", tags).id();
        env.addEni("eu-west-2a", tags);
        env.attach(held, instance.id(), 1);
        Map<String, String> vars = new HashMap<>(env.awsEnv(instance));
        vars.put("MULTUS_ENI_CONFIG", tmp.resolve("absent.conf").toString());
        vars.put("MULTUS_ENI_NETWORK_CONFIG_DIR", tmp.resolve("network").toString());
        vars.put("MULTUS_ENI_STATE_DIR", tmp.resolve("state").toString());
        vars.put("MULTUS_ENI_NO_KUBE", "true");

        for (String command : new String[] {"doctor", "status", "detach"}) {
            Main.execute(new String[] {command}, vars);
        }

        Set<String> seen = new TreeSet<>();
        env.calls().actionsCalled().forEach(a -> seen.add("ec2:" + a));
        assertThat(seen).isEqualTo(IamPolicyTest.policyActions());
    }
}
