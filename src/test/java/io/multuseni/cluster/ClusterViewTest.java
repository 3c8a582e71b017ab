package io.multuseni.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.multuseni.config.Config;
import io.multuseni.config.Network;
import io.multuseni.config.Settings;
import io.multuseni.kube.Nodes.View;
import io.multuseni.testing.ConfigBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who holds what, from Nodes as the API server lists them. */
class ClusterViewTest {
    private static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    private static final String LABEL = "cluster.custom.tags/multus-attached";
    private static final String SIG_LABEL = "cluster.custom.tags/multus-sig-attached";

    @TempDir
    Path tmp;

    private List<Network> networks;

    @BeforeEach
    void setUp() {
        ConfigBuilder b = new ConfigBuilder(tmp);
        b.networks("sig=interface-name=multus-sig;eni-tag=multus=sig");
        Config c = b.build();
        networks = c.networks();
    }

    private static View node(String name, String zone, Map<String, String> labels, Map<String, String> annotations) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(ZONE_LABEL, zone);
        return new View(name, all, annotations);
    }

    private static String held(String eni, String ip) {
        return "{\"eniId\": \"" + eni + "\", \"privateIps\": [\"" + ip + "\"], \"mac\": \"0a:00:00:00:00:01\","
                + " \"subnetId\": \"subnet-1\", \"zone\": \"eu-west-2a\"}";
    }

    @Test
    void eachNetworkAndZoneShowsItsHolderWithEniAndIpAndItsStandbys() {
        List<View> nodes = List.of(
                node("a1", "eu-west-2a", Map.of(LABEL, "true"), Map.of("multus-eni.io/networks", "multus,multus-sig",
                        "multus-eni.io/multus", held("eni-1", "10.0.9.1"))),
                node("a2", "eu-west-2a", Map.of(SIG_LABEL, "true"), Map.of("multus-eni.io/networks", "multus,multus-sig",
                        "multus-eni.io/multus-sig", held("eni-2", "10.0.8.1"))),
                node("a3", "eu-west-2a", Map.of(), Map.of("multus-eni.io/networks", "multus,multus-sig")),
                node("plain", "eu-west-2a", Map.of(), Map.of()));

        ClusterView view = ClusterView.of(networks, nodes);

        assertThat(view.ok()).isTrue();
        assertThat(view.toText()).isEqualTo("""
                NETWORK  INTERFACE   ZONE        HOLDER  ENI    IP        STANDBYS
                default  multus      eu-west-2a  a1      eni-1  10.0.9.1  a2,a3
                sig      multus-sig  eu-west-2a  a2      eni-2  10.0.8.1  a1,a3
                """);
        assertThat(view.toJson()).startsWith("{\"ok\": true, \"rows\": [{\"network\": \"default\", \"interfaceName\":"
                + " \"multus\", \"zone\": \"eu-west-2a\", \"holders\": [{\"node\": \"a1\", \"eniId\": \"eni-1\","
                + " \"privateIps\": [\"10.0.9.1\"]}], \"standbys\": [\"a2\", \"a3\"], \"problem\": null}");
    }

    /** An annotation is anyone's to write: what it says reaches the terminal with its control characters escaped. */
    @Test
    void escapeSequencesAndLineBreaksInAnnotationsAreShownEscaped() {
        View forged = node("a1", "eu-west-2a", Map.of(LABEL, "true"), Map.of("multus-eni.io/multus",
                "{\"eniId\": \"eni-1\\u001b]0;owned\\u0007\\nsig multus-sig x\", \"privateIps\": [\"10.0.9.1\"]}"));

        String text = ClusterView.of(networks, List.of(forged)).toText();

        assertThat(text).doesNotContain("\u001b").doesNotContain("\u0007")
                .contains("eni-1\\u001b]0;owned\\u0007\\u000asig multus-sig x");
        assertThat(text.lines()).hasSize(2);
    }

    @Test
    void aZoneWithNoHolderOrTwoIsAProblem() {
        List<View> nodes = List.of(
                node("a1", "eu-west-2a", Map.of(LABEL, "true"), Map.of("multus-eni.io/networks", "multus,multus-sig")),
                node("a2", "eu-west-2a", Map.of(LABEL, "true"), Map.of("multus-eni.io/networks", "multus,multus-sig")),
                node("b1", "eu-west-2b", Map.of(LABEL, "true"), Map.of("multus-eni.io/networks", "multus")));

        ClusterView view = ClusterView.of(networks, nodes);

        assertThat(view.ok()).isFalse();
        assertThat(view.problems()).containsExactly(
                "network default (multus) in eu-west-2a: 2 nodes carry the label"
                        + " cluster.custom.tags/multus-attached=true: a1, a2",
                "network sig (multus-sig) in eu-west-2a: no node holds its ENI (2 standing by): is a free ENI tagged"
                        + " [multus=sig] there?");
        assertThat(view.toText()).contains("default  multus      eu-west-2b  b1      -    -   -\n")
                .contains("PROBLEM: network sig (multus-sig) in eu-west-2a: no node holds its ENI");
    }
}
