package io.multuseni.json;

import java.util.List;
import java.util.Map;

/**
 * The JSON multus-eni writes ({@code status --json}, {@code doctor --json}, the state file): objects whose
 * values are strings, numbers, booleans, null, lists and maps of those, or JSON already written. Small enough
 * not to need a library.
 */
public final class Json {
    private Json() {}

    /** JSON text already written, placed as it is. */
    public record Raw(String json) {}

    public static String object(Map<String, ?> fields) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(string(e.getKey())).append(": ").append(value(e.getValue()));
        }
        return s.append('}').toString();
    }

    public static String array(List<String> jsonValues) {
        return "[" + String.join(", ", jsonValues) + "]";
    }

    private static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Raw raw) {
            return raw.json();
        }
        if (v instanceof List<?> list) {
            return array(list.stream().map(Json::value).toList());
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            map.forEach((k, x) -> fields.put(String.valueOf(k), x));
            return object(fields);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return string(v.toString());
    }

    private static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
