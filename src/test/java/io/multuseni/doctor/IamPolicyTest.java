package io.multuseni.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * docs/iam-policy.json grants exactly the EC2 actions the code calls: every call the EC2 client makes in
 * the source, and nothing else ({@link IamPolicyScenarios} checks it against the calls an EC2 sees).
 */
class IamPolicyTest {
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));

    static Set<String> policyActions() throws Exception {
        JsonNode policy = new ObjectMapper().readTree(Files.readString(BASE.resolve("docs/iam-policy.json")));
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : policy.get("Statement")) {
            assertThat(statement.get("Effect").asString()).isEqualTo("Allow");
            statement.get("Action").forEach(a -> actions.add(a.asString()));
        }
        return actions;
    }

    /** {@code client.describeNetworkInterfacesPaginator(} → {@code ec2:DescribeNetworkInterfaces}. */
    static Set<String> actionsInSource() throws Exception {
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
        assertThat(actionsInSource()).hasSize(7);
        assertThat(policyActions()).isEqualTo(actionsInSource());
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
