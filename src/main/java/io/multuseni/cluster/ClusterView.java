package io.multuseni.cluster;

import io.multuseni.config.Network;
import io.multuseni.json.Json;
import io.multuseni.kube.Nodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Who holds what, cluster-wide, from the Nodes alone: per network and zone, the holder (the Node with the
 * network's label), its ENI and addresses (its {@code multus-eni.io/<interface-name>} annotation), and the
 * standbys (Nodes whose daemon runs for the network, {@link Network#RUNNING_ANNOTATION}, and hold nothing).
 * A zone of a network with no holder, or with two, is a problem.
 */
public record ClusterView(List<Row> rows) {
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    /** Jackson comes with the Kubernetes client (which parses kubeconfigs with it). */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Node holding a network's ENI, with what its annotation says (null parts when it says nothing). */
    public record Holder(String node, String eniId, List<String> privateIps) {}

    public record Row(Network network, String zone, List<Holder> holders, List<String> standbys) {
        public boolean ok() {
            return holders.size() == 1;
        }

        /** Why the zone needs a look, or null when it does not. */
        public String problem() {
            if (holders.isEmpty()) {
                return "network " + network.id() + " (" + network.interfaceName() + ") in " + zone + ": no node holds"
                        + " its ENI" + (standbys.isEmpty() ? " and no node stands by" : " (" + standbys.size()
                        + " standing by)") + ": is a free ENI tagged " + network.eniTags() + " there?";
            }
            if (holders.size() > 1) {
                return "network " + network.id() + " (" + network.interfaceName() + ") in " + zone + ": "
                        + holders.size() + " nodes carry the label " + network.nodeLabel() + ": "
                        + String.join(", ", holders.stream().map(Holder::node).toList());
            }
            return null;
        }
    }

    /** The view of the networks over the Nodes as listed; a zone counts once a Node of it runs or holds the network. */
    public static ClusterView of(List<Network> networks, List<Nodes.View> nodes) {
        List<Row> rows = new ArrayList<>();
        for (Network network : networks) {
            Map<String, List<Holder>> holders = new TreeMap<>();
            Map<String, List<String>> standbys = new TreeMap<>();
            for (Nodes.View node : nodes) {
                String zone = node.labels().getOrDefault(ZONE_LABEL, "(no zone)");
                boolean holds = network.nodeLabel().value().equals(node.labels().get(network.nodeLabel().key()));
                if (holds) {
                    holders.computeIfAbsent(zone, z -> new ArrayList<>()).add(holder(node, network));
                    standbys.computeIfAbsent(zone, z -> new ArrayList<>());
                } else if (runsFor(node, network)) {
                    standbys.computeIfAbsent(zone, z -> new ArrayList<>()).add(node.name());
                    holders.computeIfAbsent(zone, z -> new ArrayList<>());
                }
            }
            for (String zone : new TreeSet<>(holders.keySet())) {
                rows.add(new Row(network, zone, List.copyOf(holders.get(zone)), List.copyOf(standbys.get(zone))));
            }
        }
        return new ClusterView(List.copyOf(rows));
    }

    private static boolean runsFor(Nodes.View node, Network network) {
        String running = node.annotations().get(Network.RUNNING_ANNOTATION);
        return running != null && List.of(running.split(",")).contains(network.interfaceName());
    }

    private static Holder holder(Nodes.View node, Network network) {
        String annotation = node.annotations().get(network.annotationKey());
        if (annotation == null) {
            return new Holder(node.name(), null, List.of());
        }
        try {
            JsonNode a = JSON.readTree(annotation);
            List<String> ips = new ArrayList<>();
            a.path("privateIps").forEach(ip -> ips.add(ip.asString()));
            return new Holder(node.name(), a.path("eniId").stringValue(null), List.copyOf(ips));
        } catch (JacksonException e) {
            return new Holder(node.name(), null, List.of()); // not ours to judge: shown as unknown
        }
    }

    public boolean ok() {
        return rows.stream().allMatch(Row::ok);
    }

    public List<String> problems() {
        return rows.stream().map(Row::problem).filter(p -> p != null).toList();
    }

    public String toText() {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"NETWORK", "INTERFACE", "ZONE", "HOLDER", "ENI", "IP", "STANDBYS"});
        for (Row row : rows) {
            List<Holder> shown = row.holders().isEmpty() ? List.of(new Holder("-", null, List.of())) : row.holders();
            for (Holder h : shown) {
                table.add(Stream.of(row.network().id(), row.network().interfaceName(), row.zone(), h.node(),
                        h.eniId() == null ? "-" : h.eniId(),
                        h.privateIps().isEmpty() ? "-" : String.join(",", h.privateIps()),
                        row.standbys().isEmpty() ? "-" : String.join(",", row.standbys()))
                        .map(ClusterView::printable).toArray(String[]::new));
            }
        }
        int[] widths = new int[table.get(0).length];
        table.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        StringBuilder s = new StringBuilder();
        for (String[] r : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 2) + "s", r[i]));
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
        if (rows.isEmpty()) {
            s.append("no Node runs multus-eni or holds a network's ENI\n");
        }
        problems().forEach(p -> s.append("PROBLEM: ").append(printable(p)).append('\n'));
        return s.toString();
    }

    /**
     * Other Nodes' annotations are anyone's to write: their control characters (a terminal's escape sequences, a
     * line break that forges a row) are shown escaped (ESC as backslash, u001b), never sent to the terminal.
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    public String toJson() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ok", ok());
        f.put("rows", rows.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("network", r.network().id());
            row.put("interfaceName", r.network().interfaceName());
            row.put("zone", r.zone());
            row.put("holders", r.holders().stream().map(h -> {
                Map<String, Object> holder = new LinkedHashMap<>();
                holder.put("node", h.node());
                holder.put("eniId", h.eniId());
                holder.put("privateIps", h.privateIps());
                return holder;
            }).toList());
            row.put("standbys", r.standbys());
            row.put("problem", r.problem());
            return row;
        }).toList());
        return Json.object(f);
    }
}
