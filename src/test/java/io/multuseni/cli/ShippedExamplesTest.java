package io.multuseni.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multuseni.aws.InstanceType;
import io.multuseni.config.ConfigFile;
import io.multuseni.config.Setting;
import io.multuseni.config.Settings;
import io.multuseni.doctor.Doctor;
import java.nio.charset.StandardCharsets;
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
        return ConfigFile.read(conf, Main.knownVariables(), true).values();
    }

    /** The README's table is written by hand; this keeps it to the settings as declared (config.Settings). */
    @Test
    void theReadmeListsEverySettingWithItsVariableAndDefault() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("README.md")).stream().filter(l -> l.startsWith("| `--"))
                .toList();
        for (Setting<?> setting : Settings.ALL) {
            String label = setting.label() == null ? "" : " " + setting.label();
            String variable = setting.kind() == Setting.Kind.EACH ? setting.variable() + "_<ID>=SPEC"
                    : setting.variable();
            assertThat(rows).as(setting.name()).anySatisfy(row -> {
                assertThat(row).startsWith("| `" + setting.name() + label + "` | `" + variable + "` |");
                if (setting.defaultText() != null && setting.kind() == Setting.Kind.VALUE) {
                    assertThat(row).contains("| `" + setting.defaultText() + "` |");
                }
            });
        }
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

    /** Published limits (interfaces on the default card, IPv4 per interface) and the pods the VPC CNI places. */
    private static final List<InstanceType> TYPES = List.of(new InstanceType("t3.medium", 3, 6),
            new InstanceType("m5.large", 3, 10), new InstanceType("c5.4xlarge", 8, 30),
            new InstanceType("m5.24xlarge", 15, 50));

    @Test
    void al2023UserDataLeavesTheMultusEniOutOfMaxPods() throws Exception {
        List<Part> parts = mimeParts(Files.readString(BASE.resolve("userdata/al2023-userdata.mime")));
        String expression = YAML.readTree(parts.get(0).body()).at("/spec/kubelet/maxPodsExpression").asString();

        // What doctor tells an operator to set is what the user data sets.
        assertThat(expression).isEqualTo(Doctor.maxPodsExpression(1));
        for (InstanceType t : TYPES) {
            long pods = new Cel(expression, Map.of("default_enis", (long) t.interfaces(), "ips_per_eni",
                    (long) t.ipv4PerInterface(), "max_pods", (long) t.vpcCniPods(0))).value();
            assertThat(pods).as(t.name()).isEqualTo(t.vpcCniPods(1))
                    .isEqualTo((t.interfaces() - 1) * (t.ipv4PerInterface() - 1) + 2L);
        }
        assertThat(new InstanceType("m5.large", 3, 10).vpcCniPods(1)).as("the issue's m5.large").isEqualTo(20);
    }

    @Test
    void al2UserDataLeavesTheMultusEniOutOfMaxPods() throws Exception {
        String script = Files.readString(BASE.resolve("userdata/al2-bootstrap.sh"));
        Matcher m = Pattern.compile("max_pods=(\\$\\(\\(.*\\)\\))").matcher(script);
        assertThat(m.find()).isTrue();
        assertThat(script).contains("networks=1").contains("--use-max-pods false")
                .contains("--kubelet-extra-args \"--max-pods=${max_pods}\"");
        for (InstanceType t : TYPES) {
            Process bash = new ProcessBuilder("bash", "-c", "networks=1; enis=" + t.interfaces() + "; ips="
                    + t.ipv4PerInterface() + "; echo " + m.group(1)).redirectErrorStream(true).start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(bash.waitFor()).isZero();
            assertThat(Integer.parseInt(out)).as(t.name()).isEqualTo(t.vpcCniPods(1));
        }
    }

    @Test
    void karpenterNodeClassSaysHowToReserveTheEnis() throws Exception {
        assertThat(Files.readString(BASE.resolve("userdata/karpenter-ec2nodeclass.yaml")))
                .contains("settings.reservedENIs=1").contains("RESERVED_ENIS");
    }

    /**
     * The integer arithmetic of nodeadm's CEL {@code maxPodsExpression} (+, -, *, /, parentheses, variables), all
     * that the shipped expression uses; anything else is refused rather than guessed.
     */
    private static final class Cel {
        private final String text;
        private final Map<String, Long> vars;
        private int at;

        Cel(String text, Map<String, Long> vars) {
            this.text = text.replace(" ", "");
            this.vars = vars;
        }

        long value() {
            long v = sum();
            assertThat(at).as("the whole expression is arithmetic: %s", text).isEqualTo(text.length());
            return v;
        }

        private long sum() {
            long v = product();
            while (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                v = text.charAt(at++) == '+' ? v + product() : v - product();
            }
            return v;
        }

        private long product() {
            long v = atom();
            while (at < text.length() && (text.charAt(at) == '*' || text.charAt(at) == '/')) {
                v = text.charAt(at++) == '*' ? v * atom() : v / atom();
            }
            return v;
        }

        private long atom() {
            if (text.charAt(at) == '(') {
                at++;
                long v = sum();
                assertThat(text.charAt(at++)).isEqualTo(')');
                return v;
            }
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            String token = text.substring(start, at);
            assertThat(token).as("a number or variable at %d of %s", start, text).isNotEmpty();
            return Character.isDigit(token.charAt(0)) ? Long.parseLong(token) : vars.get(token);
        }
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
        assertThat(ConfigFile.read(conf, Main.knownVariables(), true).values()).containsEntry("MULTUS_ENI_CLUSTER", "my-cluster");
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

    /** host-local's lease on disk outlives a pod lost without DEL and keeps the one address from the next pod. */
    @Test
    void everyShippedNetworkAttachmentDefinitionUsesStaticIpam() throws Exception {
        Pattern ipamType = Pattern.compile("\"ipam\": *\\{ *\"type\": *\"([a-z-]+)\"");
        for (String file : List.of("README.md", "docs/walkthrough.md", "docs/kubernetes/network-attachment-definitions"
                + ".yaml", "test-infra/sandbox.sh")) {
            String text = Files.readString(BASE.resolve(file)).replaceAll("\\s+", " ");
            assertThat(text.contains("\"type\": \"host-local\"")).as(file + " shows a host-local IPAM").isFalse();
            Matcher m = ipamType.matcher(text);
            while (m.find()) {
                assertThat(m.group(1)).as("IPAM in " + file).isEqualTo("static");
            }
        }
        assertThat(Files.readString(BASE.resolve("test-infra/sandbox.sh"))).contains("\"type\": \"static\"");
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
        Matcher zone = Pattern.compile("\"([a-z0-9-]+)\" = \\{ cidr_block += \"([0-9.]+)/(\\d+)\", static_ip += \"([0-9.]+)\","
                + " route_table_id += \"rtb-[0-9a-f]+\" }").matcher(Files.readString(BASE.resolve(
                        "docs/terraform/example.tfvars")));
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
            assertThat(ipam.get("type").asString()).as("static: no lease a lost pod could keep").isEqualTo("static");
            assertThat(ipam.get("addresses")).hasSize(1);
            JsonNode address = ipam.get("addresses").get(0);
            assertThat(address.get("address").asString()).as("the ENI's IP in its subnet's prefix")
                    .isEqualTo(eni[2] + "/" + eni[1]);
            assertThat(ip(address.get("gateway").asString())).as("the VPC router").isEqualTo(base + 1);
            assertThat(ipam.get("routes")).as("the range behind the firewall, out of the pod's net1").isNotEmpty();
            for (JsonNode route : ipam.get("routes")) {
                assertThat(route.get("gw").asString()).as("routed by the VPC router").isEqualTo(address.get("gateway")
                        .asString());
            }
        }
    }

    /**
     * What {@code terraform init} and {@code plan} need, as far as this machine can tell without Terraform: the files
     * are HCL (Packer's formatter parses them, and they are formatted as it would), the AWS provider is required and
     * configured, every variable used is declared, and example.tfvars sets exactly the variables without a default.
     */
    @Test
    void theTerraformHasWhatInitAndPlanNeed() throws Exception {
        String main = Files.readString(BASE.resolve("docs/terraform/main.tf"));
        String tfvars = Files.readString(BASE.resolve("docs/terraform/example.tfvars"));
        assertThat(main).containsPattern("(?s)terraform \\{.*required_providers \\{\\s*aws = \\{\\s*source += \"hashicorp/aws\"")
                .containsPattern("provider \"aws\" \\{\\s*region += var\\.region");
        Map<String, Boolean> declared = new LinkedHashMap<>();
        Matcher variable = Pattern.compile("(?s)variable \"([a-z_]+)\" \\{(.*?)\\n}").matcher(main);
        while (variable.find()) {
            declared.put(variable.group(1), variable.group(2).contains("default"));
        }
        Matcher used = Pattern.compile("var\\.([a-z_]+)").matcher(main);
        while (used.find()) {
            assertThat(declared).as("var." + used.group(1) + " is declared").containsKey(used.group(1));
        }
        List<String> set = new ArrayList<>();
        Matcher assignment = Pattern.compile("(?m)^([a-z_]+) += ").matcher(tfvars);
        while (assignment.find()) {
            set.add(assignment.group(1));
        }
        assertThat(set).as("example.tfvars sets every variable without a default, and nothing else")
                .containsExactlyInAnyOrderElementsOf(declared.entrySet().stream().filter(e -> !e.getValue())
                        .map(Map.Entry::getKey).toList());
        Matcher resource = Pattern.compile("resource \"([a-z_]+)\" \"([a-z_]+)\"").matcher(main);
        List<String> resources = new ArrayList<>();
        while (resource.find()) {
            resources.add(resource.group(1) + "." + resource.group(2));
        }
        Matcher reference = Pattern.compile("(aws_[a-z_]+\\.[a-z_]+)\\[").matcher(main);
        while (reference.find()) {
            assertThat(resources).as(reference.group(1) + " is a resource of main.tf").contains(reference.group(1));
        }
        assertThat(resources).as("each Multus subnet gets a route table").contains("aws_route_table_association.multus");

        assumeTrue(Files.isExecutable(Path.of("/usr/bin/packer")), "the HCL parse needs packer (apt-get install packer)");
        Files.writeString(tmp.resolve("main.pkr.hcl"), main);
        Files.writeString(tmp.resolve("example.pkrvars.hcl"), tfvars);
        Process fmt = new ProcessBuilder("packer", "fmt", "-check", "-diff", tmp.toString()).redirectErrorStream(true)
                .start();
        String out = new String(fmt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(fmt.waitFor()).as("packer fmt -check (HCL that parses, formatted): " + out).isZero();
    }
}
