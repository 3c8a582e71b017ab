package io.multuseni.node;

import io.multuseni.aws.Eni;
import io.multuseni.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this node holds for one network: the ENI, its attachment, and where its interface is. Immutable:
 * the ENI thread replaces it, the Kubernetes thread reads it (the label and the annotation follow it).
 *
 * @param privateIps the ENI's private IPv4 addresses, the primary first
 * @param interfaceName its name on the host; null while a pod has the interface
 * @param interfaceNamed whether that name is the configured one
 * @param interfacePlace null only in a {@code status} of an attachment still under way
 */
public record Held(String eniId, String mac, List<String> privateIps, String subnetId, int deviceIndex,
                   String attachmentId, Eni.AttachmentState attachmentState, String interfaceName, boolean interfaceNamed,
                   Place interfacePlace) {

    /** The same ENI with its interface found elsewhere: {@code name} is null while a pod has it. */
    public Held withPlace(Place place, String name, boolean named) {
        return new Held(eniId, mac, privateIps, subnetId, deviceIndex, attachmentId, attachmentState, name, named,
                place);
    }

    /** The Node annotation's value: what a firewall rule or an operator needs to know of the ENI. */
    public String annotation(String zone) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("eniId", eniId);
        a.put("privateIps", privateIps);
        a.put("mac", mac);
        a.put("subnetId", subnetId);
        a.put("zone", zone);
        return Json.object(a);
    }
}
