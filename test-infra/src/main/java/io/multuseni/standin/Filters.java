package io.multuseni.standin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** EC2's {@code Filter.N.Name} / {@code Filter.N.Value.M}: every filter must match, any of its values. */
public final class Filters {
    private record Filter(String name, List<String> values) {}

    private final List<Filter> filters = new ArrayList<>();

    public Filters add(String name, List<String> values) {
        filters.add(new Filter(name, List.copyOf(values)));
        return this;
    }

    /**
     * @param fields the resource's filterable attributes by filter name
     * @param tags the resource's tags, for {@code tag:KEY} and {@code tag-key}
     * @throws Ec2World.Ec2Error for a filter name this stand-in does not know, as EC2 rejects unknown names
     */
    public boolean matches(Map<String, String> fields, Map<String, String> tags) {
        for (Filter f : filters) {
            if (f.name.startsWith("tag:")) {
                String value = tags.get(f.name.substring(4));
                if (value == null || !f.values.contains(value)) {
                    return false;
                }
            } else if (f.name.equals("tag-key")) {
                if (f.values.stream().noneMatch(tags::containsKey)) {
                    return false;
                }
            } else if (KNOWN.contains(f.name)) {
                String value = fields.get(f.name);
                if (value == null || !f.values.contains(value)) {
                    return false;
                }
            } else {
                throw new Ec2World.Ec2Error(400, "InvalidParameterValue",
                        "The filter '" + f.name + "' is invalid");
            }
        }
        return true;
    }

    private static final List<String> KNOWN = List.of("network-interface-id", "availability-zone", "status",
            "mac-address", "attachment.instance-id", "attachment.attachment-id", "attachment.status",
            "attachment.device-index", "resource-id", "resource-type", "key", "value");
}
