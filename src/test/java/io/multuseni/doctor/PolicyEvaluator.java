package io.multuseni.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * IAM's evaluation of an identity policy of Allow statements, for the part of the policy language
 * docs/iam-policy.json uses, as the IAM User Guide defines it ("Policy evaluation logic", "IAM JSON policy
 * elements: Condition operators", "Single-valued vs. multivalued context keys", "Policy variables"):
 * <ul>
 *   <li>a request touches several resources (an attach: the ENI and the instance) and each must be allowed by
 *       some statement whose action, resource and conditions all match it;</li>
 *   <li>{@code StringEquals}/{@code StringLike} on an absent key are false; {@code Null} tests presence;</li>
 *   <li>{@code ForAllValues:} is true when the key is absent or empty (the reason a {@code Null} must go
 *       with it);</li>
 *   <li>a policy variable whose key the request lacks makes its statement match nothing.</li>
 * </ul>
 * Anything else in the policy (a Deny, another operator) fails the test rather than being guessed at.
 */
final class PolicyEvaluator {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    /** One resource a request acts on: its ARN and its tags ({@code aws:ResourceTag/<key>}). */
    record Resource(String arn, Map<String, String> tags) {
    }

    /**
     * @param keys the request's context keys (e.g. {@code ec2:SourceInstanceARN}); a multivalued key such as
     *     {@code aws:TagKeys} is a list, absent when the request names none
     */
    record Request(String action, List<Resource> resources, Map<String, List<String>> keys) {
    }

    private final JsonNode policy;

    PolicyEvaluator(JsonNode policy) {
        this.policy = policy;
    }

    boolean allows(Request request) {
        for (Resource resource : request.resources()) {
            boolean allowed = false;
            for (JsonNode statement : policy.get("Statement")) {
                if (!statement.get("Effect").asString().equals("Allow")) {
                    throw new IllegalArgumentException("only Allow statements are evaluated: " + statement);
                }
                allowed |= matches(statement, request, resource);
            }
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(JsonNode statement, Request request, Resource resource) {
        if (strings(statement.get("Action")).stream().noneMatch(a -> glob(a, request.action()))) {
            return false;
        }
        boolean resourceMatches = false;
        for (String pattern : strings(statement.get("Resource"))) {
            Optional<String> resolved = substitute(pattern, request);
            resourceMatches |= resolved.isPresent() && glob(resolved.get(), resource.arn());
        }
        if (!resourceMatches) {
            return false;
        }
        JsonNode conditions = statement.get("Condition");
        if (conditions == null) {
            return true;
        }
        for (Map.Entry<String, JsonNode> operator : conditions.properties()) {
            for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
                List<String> values = new ArrayList<>();
                for (String v : strings(key.getValue())) {
                    Optional<String> resolved = substitute(v, request);
                    if (resolved.isEmpty()) {
                        return false;
                    }
                    values.add(resolved.get());
                }
                if (!condition(operator.getKey(), contextValues(key.getKey(), request, resource), values)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean condition(String operator, List<String> present, List<String> values) {
        return switch (operator) {
            case "StringEquals" -> present.size() == 1 && values.contains(present.get(0));
            case "StringLike" -> present.size() == 1 && values.stream().anyMatch(v -> glob(v, present.get(0)));
            case "Null" -> values.equals(List.of(present.isEmpty() ? "true" : "false"));
            case "ForAllValues:StringEquals" -> values.containsAll(present);
            case "ForAllValues:StringLike" -> present.stream().allMatch(p -> values.stream().anyMatch(v -> glob(v, p)));
            default -> throw new IllegalArgumentException("condition operator not evaluated here: " + operator);
        };
    }

    private static List<String> contextValues(String key, Request request, Resource resource) {
        if (key.startsWith("aws:ResourceTag/")) {
            String tag = resource.tags().get(key.substring("aws:ResourceTag/".length()));
            return tag == null ? List.of() : List.of(tag);
        }
        return request.keys().getOrDefault(key, List.of());
    }

    /** The pattern with its policy variables filled in; empty when the request lacks one of their keys. */
    private static Optional<String> substitute(String pattern, Request request) {
        Matcher m = VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> value = request.keys().getOrDefault(m.group(1), List.of());
            if (value.size() != 1) {
                return Optional.empty();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.get(0)));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} any one. */
    private static boolean glob(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return value.matches(regex.toString());
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asString()));
        } else {
            out.add(node.asString());
        }
        return out;
    }
}
