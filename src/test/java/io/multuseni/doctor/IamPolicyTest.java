package io.multuseni.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import io.multuseni.config.Network;
import io.multuseni.testing.ConfigBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * docs/iam-policy.json grants exactly the EC2 actions the code calls: every call the EC2 client makes in
 * the source, and nothing else ({@link IamPolicyScenarios} checks it against the calls an EC2 sees); and,
 * evaluated as IAM evaluates it, it lets every configured network do its work on the calling instance and a
 * hostile node nothing more.
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
    void changingActionsAreGrantedOnlyOnTheCallingInstanceOrUnderConditions() throws Exception {
        for (JsonNode statement : policy().get("Statement")) {
            boolean describes = true;
            for (JsonNode a : statement.get("Action")) {
                describes &= a.asString().startsWith("ec2:Describe");
            }
            String resource = statement.get("Resource").asString();
            if (!describes && !resource.equals(CALLING_INSTANCE)) {
                assertThat(resource).as(statement.toString()).startsWith("arn:aws:ec2:");
                assertThat(statement.has("Condition")).as(statement.toString()).isTrue();
            }
        }
    }

    // What the policy must allow and refuse, as IAM evaluates it (PolicyEvaluator). The networks are the README's:
    // the default one and a signalling network whose ENIs are tagged multus=sig.
    private static final String CALLING_INSTANCE = "${ec2:SourceInstanceARN}";
    private static final String SELF = "arn:aws:ec2:eu-west-2:111122223333:instance/i-0self";
    private static final String OTHER = "arn:aws:ec2:eu-west-2:111122223333:instance/i-0other";

    static JsonNode policy() throws Exception {
        String text = Files.readString(BASE.resolve("docs/iam-policy.json")).replace("CLUSTER_NAME", "prod");
        return new ObjectMapper().readTree(text);
    }

    private static List<Network> networks(Path dir) {
        ConfigBuilder b = new ConfigBuilder(dir);
        b.set(Settings.CLUSTER, "prod");
        b.networks("sig=interface-name=multus-sig;eni-tag=multus=sig,cluster={cluster},Zone={zone}");
        return b.build().networks();
    }

    private static Map<String, String> eniTags(Network network) {
        Map<String, String> tags = new TreeMap<>();
        network.eniTags().forEach(t -> tags.put(t.key(), t.resolve(Map.of("cluster", "prod", "zone", "eu-west-2a"))));
        return tags;
    }

    private static PolicyEvaluator.Resource eni(Map<String, String> tags) {
        return new PolicyEvaluator.Resource("arn:aws:ec2:eu-west-2:111122223333:network-interface/eni-0a", tags);
    }

    private static PolicyEvaluator.Resource instance(String arn) {
        return new PolicyEvaluator.Resource(arn, Map.of("eks:cluster-name", "prod"));
    }

    /** A request signed with the instance profile's credentials on the instance SELF (or, with null, elsewhere). */
    private static PolicyEvaluator.Request request(String caller, String action, List<String> tagKeys,
                                                   PolicyEvaluator.Resource... resources) {
        Map<String, List<String>> keys = new HashMap<>();
        if (caller != null) {
            keys.put("ec2:SourceInstanceARN", List.of(caller));
        }
        if (tagKeys != null) {
            keys.put("aws:TagKeys", tagKeys);
        }
        return new PolicyEvaluator.Request(action, List.of(resources), keys);
    }

    @Test
    void everyNetworkCanDoWhatMultusEniDoesOnItsOwnInstance(@TempDir Path dir) throws Exception {
        PolicyEvaluator iam = new PolicyEvaluator(policy());
        for (Network n : networks(dir)) {
            PolicyEvaluator.Resource eni = eni(eniTags(n));
            List<String> key = List.of(n.instanceTag().key());
            assertThat(iam.allows(request(SELF, "ec2:AttachNetworkInterface", null, eni, instance(SELF))))
                    .as("attach for " + n.id()).isTrue();
            assertThat(iam.allows(request(SELF, "ec2:DetachNetworkInterface", null, eni, instance(SELF))))
                    .as("detach for " + n.id()).isTrue();
            assertThat(iam.allows(request(SELF, "ec2:CreateTags", key, instance(SELF)))).as("tag " + key).isTrue();
            assertThat(iam.allows(request(SELF, "ec2:DeleteTags", key, instance(SELF)))).as("untag " + key).isTrue();
        }
    }

    @Test
    void aHostileNodeCanNeitherStripTagsNorTouchAnotherNodeOrAnotherEni(@TempDir Path dir) throws Exception {
        PolicyEvaluator iam = new PolicyEvaluator(policy());
        PolicyEvaluator.Resource eni = eni(eniTags(networks(dir).get(0)));
        String key = networks(dir).get(0).instanceTag().key();
        record Hole(String what, PolicyEvaluator.Request request) {
        }
        List<Hole> holes = List.of(
                new Hole("DeleteTags naming no key deletes every tag", request(SELF, "ec2:DeleteTags", null,
                        instance(SELF))),
                new Hole("DeleteTags of the cluster's own tag", request(SELF, "ec2:DeleteTags",
                        List.of("eks:cluster-name"), instance(SELF))),
                new Hole("CreateTags of another key with ours", request(SELF, "ec2:CreateTags",
                        List.of(key, "eks:cluster-name"), instance(SELF))),
                new Hole("detaching the zone's ENI from its holder", request(SELF, "ec2:DetachNetworkInterface", null,
                        eni, instance(OTHER))),
                new Hole("attaching an ENI to another instance", request(SELF, "ec2:AttachNetworkInterface", null,
                        eni, instance(OTHER))),
                new Hole("tagging another instance", request(SELF, "ec2:CreateTags", List.of(key), instance(OTHER))),
                new Hole("untagging another instance", request(SELF, "ec2:DeleteTags", List.of(key), instance(OTHER))),
                new Hole("the role's credentials used off the instance", request(null, "ec2:AttachNetworkInterface",
                        null, eni, instance(SELF))),
                new Hole("another cluster's ENI", request(SELF, "ec2:AttachNetworkInterface", null,
                        eni(Map.of("multus", "true", "cluster", "staging")), instance(SELF))),
                new Hole("an ENI without the multus tag (the VPC CNI's)", request(SELF, "ec2:DetachNetworkInterface",
                        null, eni(Map.of("cluster", "prod", "node.k8s.amazonaws.com/instance_id", "i-0self")),
                        instance(SELF))));
        for (Hole hole : holes) {
            assertThat(iam.allows(hole.request())).as(hole.what()).isFalse();
        }
    }
}
