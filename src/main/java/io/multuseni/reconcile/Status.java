package io.multuseni.reconcile;

import io.multuseni.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this instance holds, as {@code status} prints it and the state file records it. Field names
 * are the JSON names (camelCase); absent facts are null. Documented in the README.
 */
public record Status(
        String instanceId,
        String zone,
        String cluster,
        String eniId,
        String mac,
        Integer deviceIndex,
        String attachmentId,
        String attachmentState,
        String interfaceName,
        boolean interfaceNamed,
        Place interfacePlace,
        boolean instanceTagged,
        String nodeName,
        Boolean nodeLabelled,
        String daemonJson) {

    public boolean holding() {
        return eniId != null;
    }

    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("instanceId", instanceId);
        f.put("zone", zone);
        f.put("cluster", cluster);
        f.put("holding", holding());
        f.put("eniId", eniId);
        f.put("mac", mac);
        f.put("deviceIndex", deviceIndex);
        f.put("attachmentId", attachmentId);
        f.put("attachmentState", attachmentState);
        f.put("interfaceName", interfaceName);
        f.put("interfaceNamed", interfaceNamed);
        f.put("interfacePlace", interfacePlace == null ? null : interfacePlace.word);
        f.put("instanceTagged", instanceTagged);
        f.put("nodeName", nodeName);
        f.put("nodeLabelled", nodeLabelled);
        f.put("daemon", daemonJson == null ? null : new Json.Raw(daemonJson));
        return f;
    }

    /** The same facts with the Node's: {@code labelled} is null when unknown (no Kubernetes, or unreachable). */
    public Status withNode(String name, Boolean labelled) {
        return new Status(instanceId, zone, cluster, eniId, mac, deviceIndex, attachmentId, attachmentState,
                interfaceName, interfaceNamed, interfacePlace, instanceTagged, name, labelled, daemonJson);
    }

    /** With what the running daemon reports of itself (its daemon.json), when one runs. */
    public Status withDaemon(String json) {
        return new Status(instanceId, zone, cluster, eniId, mac, deviceIndex, attachmentId, attachmentState,
                interfaceName, interfaceNamed, interfacePlace, instanceTagged, nodeName, nodeLabelled, json);
    }

    /** The same facts with the interface found elsewhere: {@code name} is null while a pod has it. */
    public Status withPlace(Place place, String name, boolean named) {
        return new Status(instanceId, zone, cluster, eniId, mac, deviceIndex, attachmentId, attachmentState,
                name, named, place, instanceTagged, nodeName, nodeLabelled, daemonJson);
    }

    public String toJson() {
        return Json.object(fields());
    }

    public String toText() {
        StringBuilder s = new StringBuilder();
        fields().forEach((k, v) -> s.append(String.format("%-16s %s%n", k, v == null ? "-" : v)));
        return s.toString();
    }
}
