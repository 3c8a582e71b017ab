package io.multuseni.doctor;

import io.multuseni.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the doctor's report: what was checked, whether it passed, what was found, how to fix it. A
 * warning passes (it is not what multus-eni needs, and may come later) but still says how to fix it.
 */
public record Check(String name, boolean ok, String detail, String fix, boolean warning) {
    static Check pass(String name, String detail) {
        return new Check(name, true, detail, null, false);
    }

    static Check fail(String name, String detail, String fix) {
        return new Check(name, false, detail, fix, false);
    }

    static Check warn(String name, String detail, String fix) {
        return new Check(name, true, detail, fix, true);
    }

    public String toText() {
        return (warning ? "! " : ok ? "✓ " : "✗ ") + name + ": " + detail + (fix == null ? "" : "\n    fix: " + fix);
    }

    public String toJson() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("check", name);
        f.put("ok", ok);
        f.put("detail", detail);
        f.put("fix", fix);
        f.put("warning", warning);
        return Json.object(f);
    }
}
