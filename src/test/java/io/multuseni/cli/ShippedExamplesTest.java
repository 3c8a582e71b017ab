package io.multuseni.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.config.ConfigFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The user data, launch template and Kubernetes examples parse, and say what multus-eni expects. */
class ShippedExamplesTest {
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @TempDir
    Path tmp;

    /** A MIME multipart message: each part's Content-Type and body. */
    private record Part(String contentType, String body) {}

    private static List<Part> mimeParts(String message) {
        Matcher boundary = Pattern.compile("boundary=\"([^\"]+)\"").matcher(message);
        assertThat(boundary.find()).as("a multipart boundary").isTrue();
        String delimiter = "--" + boundary.group(1);
        assertThat(message).contains(delimiter + "--");
        String[] chunks = message.substring(0, message.indexOf(delimiter + "--")).split(Pattern.quote(delimiter));
        List<Part> parts = new ArrayList<>();
        for (int i = 1; i < chunks.length; i++) {
            String chunk = chunks[i].replaceFirst("^\\r?\\n", "");
            int blank = chunk.indexOf("\n\n");
            assertThat(blank).as("headers, a blank line, then the body").isPositive();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : chunk.substring(0, blank).split("\n")) {
                headers.put(line.substring(0, line.indexOf(':')).trim().toLowerCase(), line.substring(
                        line.indexOf(':') + 1).trim());
            }
            parts.add(new Part(headers.get("content-type").replaceFirst(";.*", ""), chunk.substring(blank + 2)));
        }
        return parts;
    }

    /** The multus-eni.conf a cloud-config part writes is a valid config file. */
    private Map<String, String> multusConfFrom(Part cloudConfig) throws Exception {
        assertThat(cloudConfig.body()).startsWith("#cloud-config\n");
        JsonNode file = YAML.readTree(cloudConfig.body()).get("write_files").get(0);
        assertThat(file.get("path").asString()).isEqualTo("/etc/multus-eni/multus-eni.conf");
        Path conf = tmp.resolve("multus-eni.conf");
        Files.writeString(conf, file.get("content").asString());
        return ConfigFile.read(conf, Main.knownVariables(), true);
    }

    @Test
    void al2023UserDataHasANodeConfigAndWritesTheConfigBeforeTheServiceStarts() throws Exception {
        List<Part> parts = mimeParts(Files.readString(BASE.resolve("userdata/al2023-userdata.mime")));

        assertThat(parts).extracting(Part::contentType).containsExactly("application/node.eks.aws",
                "text/cloud-config");
        JsonNode nodeConfig = YAML.readTree(parts.get(0).body());
        assertThat(nodeConfig.get("apiVersion").asString()).isEqualTo("node.eks.aws/v1alpha1");
        assertThat(nodeConfig.get("kind").asString()).isEqualTo("NodeConfig");
        assertThat(nodeConfig.at("/spec/cluster/name").asString()).isEqualTo("my-cluster");
        assertThat(multusConfFrom(parts.get(1))).containsEntry("MULTUS_ENI_CLUSTER", "my-cluster");
    }

    @Test
    void karpenterNodeClassRequiresImdsV2AndCarriesTheConfig() throws Exception {
        JsonNode nodeClass = YAML.readTree(Files.readString(BASE.resolve("userdata/karpenter-ec2nodeclass.yaml")));

        assertThat(nodeClass.get("kind").asString()).isEqualTo("EC2NodeClass");
        assertThat(nodeClass.at("/spec/amiFamily").asString()).isEqualTo("AL2023");
        assertThat(nodeClass.at("/spec/metadataOptions/httpTokens").asString()).isEqualTo("required");
        List<Part> parts = mimeParts(nodeClass.at("/spec/userData").asString());
        assertThat(multusConfFrom(parts.get(0))).containsEntry("MULTUS_ENI_CLUSTER", "my-cluster");
    }

    @Test
    void theLaunchTemplateRequiresImdsV2() throws Exception {
        JsonNode template = new ObjectMapper().readTree(Files.readString(BASE.resolve("userdata/launch-template.json")));
        assertThat(template.at("/LaunchTemplateData/MetadataOptions/HttpTokens").asString()).isEqualTo("required");
        assertThat(template.at("/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit").asInt()).isEqualTo(1);
    }

    @Test
    void al2UserDataWritesAValidConfigAndReloads() throws Exception {
        String script = Files.readString(BASE.resolve("userdata/al2-bootstrap.sh"));
        Matcher heredoc = Pattern.compile("<<CONF\\n(.*?)\\nCONF", Pattern.DOTALL).matcher(script);
        assertThat(heredoc.find()).isTrue();
        Path conf = tmp.resolve("al2.conf");
        Files.writeString(conf, heredoc.group(1).replace("${cluster}", "my-cluster") + "\n");
        assertThat(ConfigFile.read(conf, Main.knownVariables(), true)).containsEntry("MULTUS_ENI_CLUSTER", "my-cluster");
        assertThat(script).contains("systemctl reload multus-eni.service").contains("/etc/eks/bootstrap.sh");
    }

    @Test
    void theKubernetesExamplesUseTheInterfaceAndTheLabelMultusEniProvides() throws Exception {
        List<JsonNode> nads = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(
                BASE.resolve("docs/kubernetes/network-attachment-definitions.yaml"))).readAll();
        assertThat(nads).hasSize(2);
        for (JsonNode nad : nads) {
            JsonNode cni = new ObjectMapper().readTree(nad.at("/spec/config").asString());
            assertThat(cni.at("/plugins/0/type").asString()).isEqualTo("host-device");
            assertThat(cni.at("/plugins/0/device").asString()).isEqualTo("multus");
        }
        JsonNode deployment = YAML.readTree(Files.readString(BASE.resolve("docs/kubernetes/deployment.yaml")));
        assertThat(deployment.at("/spec/strategy/type").asString()).isEqualTo("Recreate");
        assertThat(deployment.at("/spec/template/spec/nodeSelector").propertyNames())
                .contains("topology.kubernetes.io/zone", "cluster.custom.tags/multus-attached");
    }

    /** An IPv4 address as a number. */
    private static long ip(String dotted) {
        long n = 0;
        for (String part : dotted.split("\\.")) {
            n = n * 256 + Integer.parseInt(part);
        }
        return n;
    }

    @Test
    void theSubnetsAndStaticIpsAreOnesAwsAcceptsAndEachNadMatchesItsEni() throws Exception {
        Matcher zone = Pattern.compile("\"([a-z0-9-]+)\" = \\{ cidr_block = \"([0-9.]+)/(\\d+)\", static_ip = \"([0-9.]+)\" }")
                .matcher(Files.readString(BASE.resolve("docs/terraform/main.tf")));
        Map<String, String[]> zones = new LinkedHashMap<>();
        while (zone.find()) {
            zones.put(zone.group(1), new String[] {zone.group(2), zone.group(3), zone.group(4)});
        }
        assertThat(zones).hasSize(2);
        List<JsonNode> nads = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(
                BASE.resolve("docs/kubernetes/network-attachment-definitions.yaml"))).readAll();
        for (JsonNode nad : nads) {
            String name = nad.at("/metadata/name").asString();
            String[] eni = zones.get(name.substring("multus-".length()));
            assertThat(eni).as("a Terraform zone for " + name).isNotNull();
            int prefix = Integer.parseInt(eni[1]);
            assertThat(prefix).as("AWS subnets are /16 to /28").isBetween(16, 28);
            long base = ip(eni[0]);
            long size = 1L << (32 - prefix);
            assertThat(base % size).as("a block boundary").isZero();
            long staticIp = ip(eni[2]);
            assertThat(staticIp).as("not the 4 addresses AWS keeps first, nor the last")
                    .isBetween(base + 4, base + size - 2);
            JsonNode ipam = new ObjectMapper().readTree(nad.at("/spec/config").asString()).at("/plugins/0/ipam");
            assertThat(ipam.get("subnet").asString()).isEqualTo(eni[0] + "/" + eni[1]);
            assertThat(ipam.get("rangeStart").asString()).isEqualTo(eni[2]);
            assertThat(ipam.get("rangeEnd").asString()).isEqualTo(eni[2]);
            assertThat(ip(ipam.get("gateway").asString())).as("the VPC router").isEqualTo(base + 1);
        }
    }
}
