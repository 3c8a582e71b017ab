package io.multuseni.doctor;

import io.multuseni.json.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One line of the doctor's report: what was checked, how it came out, what was found, how to fix it. */
public record Check(String name, Result result, String detail, String fix) {
    /** How a check came out, and the mark its line starts with. */
    public enum Result {
        PASS("✓"),
        /** Passes (not what multus-eni needs, or it may come later) but still says how to fix it. */
        WARN("!"),
        /**
         * Nothing to try it on (a detach with nothing attached): neither proven nor disproven, so it neither
         * passes with a ✓ nor fails the run.
         */
        NOT_TRIED("-"),
        FAIL("✗");

        private final String mark;

        Result(String mark) {
            this.mark = mark;
        }

        public String mark() {
            return mark;
        }
    }

    static Check pass(String name, String detail) {
        return new Check(name, Result.PASS, detail, null);
    }

    static Check fail(String name, String detail, String fix) {
        return new Check(name, Result.FAIL, detail, fix);
    }

    static Check warn(String name, String detail, String fix) {
        return new Check(name, Result.WARN, detail, fix);
    }

    static Check notTried(String name, String why) {
        return new Check(name, Result.NOT_TRIED, "not tried: " + why, null);
    }

    /** Whether the run may still exit 0: only a failure stops it. */
    public boolean ok() {
        return result != Result.FAIL;
    }

    public String toText() {
        return result.mark() + " " + name + ": " + detail + (fix == null ? "" : "\n    fix: " + fix);
    }

    public String toJson() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("check", name);
        f.put("ok", ok());
        f.put("detail", detail);
        f.put("fix", fix);
        f.put("warning", result == Result.WARN);
        f.put("result", result.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return Json.object(f);
    }
}
