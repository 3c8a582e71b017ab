package io.multuseni.node;

import io.multuseni.aws.Eni;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which ENIs are ours to take: all selector tags match exactly and the ENI is in this node's zone.
 * Every decision to attach or detach goes through {@link #matches}, the first safety rule.
 */
public record Selector(Map<String, String> tags, String zone) {

    public boolean matches(Eni eni) {
        if (!zone.equals(eni.zone())) {
            return false;
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!tag.getValue().equals(eni.tags().get(tag.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * EC2 filters for the zone's matching ENIs, whatever their status: one call tells which is free, which
     * is on its way out, and which is already attached here.
     */
    public Map<String, String> filters() {
        Map<String, String> filters = new LinkedHashMap<>();
        tags.forEach((k, v) -> filters.put("tag:" + k, v));
        filters.put("availability-zone", zone);
        return filters;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        tags.forEach((k, v) -> s.append(s.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return s + " in " + zone;
    }
}
