package io.multuseni.reconcile;

import java.util.Map;

/** Flat JSON objects for {@code status --json} and the state file; values are strings, numbers, booleans or null. */
final class Json {
    private Json() {}

    static String object(Map<String, ?> fields) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(string(e.getKey())).append(": ").append(value(e.getValue()));
        }
        return s.append('}').toString();
    }

    private static String value(Object v) {
        if (v == null) {
            return "null";
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
