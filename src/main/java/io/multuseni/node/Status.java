package io.multuseni.node;

import io.multuseni.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code status} reports of one network: what is held ({@link Held}, empty when nothing), and the
 * facts around it — the instance, its tag, the Node and its label, the running daemon's own report. Field
 * names are the JSON names (camelCase); absent facts are null. Documented in the README.
 *
 * @param interfaceName the configured name, reported when nothing is held
 * @param nodeLabelled null when unknown (no Kubernetes, or unreachable)
 */
public record Status(
        String network,
        String instanceId,
        String zone,
        String cluster,
        String interfaceName,
        Optional<Held> held,
        boolean instanceTagged,
        String nodeName,
        Boolean nodeLabelled,
        String daemonJson) {

    public boolean holding() {
        return held.isPresent();
    }

    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        Held h = held.orElse(null);
        f.put("network", network);
        f.put("instanceId", instanceId);
        f.put("zone", zone);
        f.put("cluster", cluster);
        f.put("holding", holding());
        f.put("eniId", h == null ? null : h.eniId());
        f.put("mac", h == null ? null : h.mac());
        f.put("privateIps", h == null ? null : h.privateIps());
        f.put("subnetId", h == null ? null : h.subnetId());
        f.put("deviceIndex", h == null ? null : h.deviceIndex());
        f.put("attachmentId", h == null ? null : h.attachmentId());
        f.put("attachmentState", h == null ? null : h.attachmentState().toString());
        f.put("interfaceName", h == null ? interfaceName : h.interfaceName());
        f.put("interfaceNamed", h != null && h.interfaceNamed());
        f.put("interfacePlace", h == null || h.interfacePlace() == null ? null : h.interfacePlace().word);
        f.put("instanceTagged", instanceTagged);
        f.put("nodeName", nodeName);
        f.put("nodeLabelled", nodeLabelled);
        f.put("daemon", daemonJson == null ? null : new Json.Raw(daemonJson));
        return f;
    }

    /** The same facts with the Node's. */
    public Status withNode(String name, Boolean labelled) {
        return new Status(network, instanceId, zone, cluster, interfaceName, held, instanceTagged, name, labelled,
                daemonJson);
    }

    /** With what the running daemon reports of itself (its daemon.json), when one runs. */
    public Status withDaemon(String json) {
        return new Status(network, instanceId, zone, cluster, interfaceName, held, instanceTagged, nodeName,
                nodeLabelled, json);
    }

    public String toJson() {
        return Json.object(fields());
    }

    /**
     * Every network's status as one JSON object: the default network's fields at the top (where a script that
     * knows one network reads them) and {@code networks}, one object per network, the default first.
     */
    public static String toJson(List<Status> all) {
        Map<String, Object> f = new LinkedHashMap<>(all.get(0).fields());
        f.put("networks", all.stream().map(s -> {
            Map<String, Object> each = new LinkedHashMap<>(s.fields());
            each.remove("daemon"); // one daemon for all networks: said once, at the top
            return each;
        }).toList());
        return Json.object(f);
    }

    /** One {@code name value} line per fact; with several networks, a block per network. */
    public static String toText(List<Status> all) {
        StringBuilder s = new StringBuilder();
        for (Status status : all) {
            if (s.length() > 0) {
                s.append('\n');
            }
            status.fields().forEach((k, v) -> s.append(String.format("%-16s %s%n", k,
                    v == null ? "-" : v instanceof Json.Raw raw ? raw.json() : v)));
        }
        return s.toString();
    }
}
