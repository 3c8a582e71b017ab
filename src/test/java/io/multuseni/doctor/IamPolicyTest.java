package io.multuseni.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.cli.Main;
import io.multuseni.standin.Ec2World;
import io.multuseni.standin.StandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * docs/iam-policy.json grants exactly the EC2 actions the code calls: every call the EC2 client makes in
 * the source, and every action the stand-in sees when the commands run, and nothing else.
 */
class IamPolicyTest {
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));

    @TempDir
    Path tmp;

    private static Set<String> policyActions() throws Exception {
        JsonNode policy = new ObjectMapper().readTree(Files.readString(BASE.resolve("docs/iam-policy.json")));
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : policy.get("Statement")) {
            assertThat(statement.get("Effect").asString()).isEqualTo("Allow");
            statement.get("Action").forEach(a -> actions.add(a.asString()));
        }
        return actions;
    }

    /** {@code client.describeNetworkInterfacesPaginator(} → {@code ec2:DescribeNetworkInterfaces}. */
    private static Set<String> actionsInSource() throws Exception {
        String source = Files.readString(BASE.resolve("src/main/java/io/multuseni/aws/SdkEc2.java"));
        Matcher m = Pattern.compile("client\\s*\\.\\s*([a-z]\\w*)\\(").matcher(source);
        Set<String> actions = new TreeSet<>();
        while (m.find()) {
            String method = m.group(1).replaceFirst("Paginator$", "");
            if (!method.equals("close")) {
                actions.add("ec2:" + Character.toUpperCase(method.charAt(0)) + method.substring(1));
            }
        }
        return actions;
    }

    @Test
    void thePolicyGrantsExactlyTheActionsTheCodeCalls() throws Exception {
        Set<String> inSource = actionsInSource();
        Set<String> seen = new TreeSet<>();
        try (StandIn standIn = new StandIn("eu-west-2")) {
            standIn.instance("i-1", "eu-west-2a", "prod");
            Map<String, String> tags = Map.of("multus", "true", "cluster", "prod", "Zone", "eu-west-2a");
            Ec2World.Eni held = standIn.world.addEni("eu-west-2a", tags);
            standIn.world.addEni("eu-west-2a", tags);
            standIn.world.attach(held.id, "i-1", 1, 0);
            Map<String, String> env = new HashMap<>(standIn.env("i-1"));
            env.put("MULTUS_ENI_CONFIG", tmp.resolve("absent.conf").toString());
            env.put("MULTUS_ENI_NETWORK_CONFIG_DIR", tmp.resolve("network").toString());
            env.put("MULTUS_ENI_STATE_DIR", tmp.resolve("state").toString());
            env.put("MULTUS_ENI_NO_KUBE", "true");
            for (String command : new String[] {"doctor", "status", "detach"}) {
                Main.execute(new String[] {command}, env);
            }
            standIn.world.actionsCalled().forEach(a -> seen.add("ec2:" + a));
        }

        assertThat(inSource).hasSize(6);
        assertThat(seen).isEqualTo(inSource);
        assertThat(policyActions()).isEqualTo(inSource);
    }

    @Test
    void changingActionsAreGrantedOnlyUnderConditions() throws Exception {
        JsonNode policy = new ObjectMapper().readTree(Files.readString(BASE.resolve("docs/iam-policy.json")));
        for (JsonNode statement : policy.get("Statement")) {
            boolean describes = true;
            for (JsonNode a : statement.get("Action")) {
                describes &= a.asString().startsWith("ec2:Describe");
            }
            if (!describes) {
                assertThat(statement.get("Resource").asString()).as(statement.toString()).startsWith("arn:aws:ec2:");
                assertThat(statement.has("Condition")).as(statement.toString()).isTrue();
            }
        }
    }
}
