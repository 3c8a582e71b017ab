package io.multuseni.metrics;

import io.multuseni.fs.AtomicFile;
import io.multuseni.json.Json;
import io.multuseni.reconcile.Place;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the daemon has done, in Prometheus' text format, for node_exporter's textfile collector:
 * written atomically (the collector never reads half a file) after every check.
 */
public final class Metrics {
    private final Clock clock;
    private final AtomicLong reconciles = new AtomicLong();
    private final AtomicLong imdsLags = new AtomicLong();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ec2Calls = new ConcurrentHashMap<>();
    private volatile String role = "standby";
    private volatile String eni;
    private volatile String interfaceName;
    private volatile Place place;
    private volatile Instant lastGood;
    private volatile Duration bootAttach;

    public Metrics(Clock clock) {
        this.clock = clock;
    }

    public void ec2Call(String action) {
        ec2Calls.computeIfAbsent(action, k -> new AtomicLong()).incrementAndGet();
    }

    public long ec2Calls() {
        return ec2Calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** A check or look that went through. */
    public void reconciled() {
        reconciles.incrementAndGet();
        lastGood = clock.instant();
    }

    public void error(String kind) {
        errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    public void holding(String eniId, String name, Place where) {
        role = "holder";
        eni = eniId;
        interfaceName = name;
        place = where;
    }

    /** EC2 confirmed an ENI still attached that IMDS no longer listed. */
    public void imdsLag() {
        imdsLags.incrementAndGet();
    }

    public void standby() {
        notHolding("standby");
    }

    public void leaving() {
        notHolding("leaving");
    }

    private void notHolding(String now) {
        role = now;
        eni = null;
        interfaceName = null;
        place = null;
    }

    public void bootAttach(Duration took) {
        bootAttach = took;
    }

    public String render() {
        StringBuilder m = new StringBuilder();
        gauge(m, "multus_eni_attached", "1 while this node holds its ENI (its interface on the host or in a pod)",
                eni == null ? "" : "{eni=\"" + eni + "\",interface=\"" + interfaceName + "\"}", eni == null ? 0 : 1);
        if (eni != null) {
            m.append("# HELP multus_eni_interface_place Where the held ENI's interface is: on the host, in a pod"
                    + " (host-device moved it), or misnamed.\n# TYPE multus_eni_interface_place gauge\n");
            for (Place p : Place.values()) {
                m.append("multus_eni_interface_place{place=\"").append(p.word).append("\"} ")
                        .append(p == place ? 1 : 0).append('\n');
            }
        }
        m.append("# HELP multus_eni_role The node's role: holder, standby or leaving.\n# TYPE multus_eni_role gauge\n");
        for (String r : new String[] {"holder", "standby", "leaving"}) {
            m.append("multus_eni_role{role=\"").append(r).append("\"} ").append(r.equals(role) ? 1 : 0).append('\n');
        }
        counter(m, "multus_eni_reconciles_total", "Checks and looks that went through", "", reconciles.get());
        counter(m, "multus_eni_imds_lag_total", "Times IMDS omitted the held ENI while EC2 had it attached", "",
                imdsLags.get());
        m.append("# HELP multus_eni_errors_total Failed checks and looks, by kind.\n")
                .append("# TYPE multus_eni_errors_total counter\n");
        new TreeMap<>(errors).forEach((k, v) -> m.append("multus_eni_errors_total{kind=\"").append(k).append("\"} ")
                .append(v.get()).append('\n'));
        m.append("# HELP multus_eni_ec2_calls_total EC2 API calls, by action.\n")
                .append("# TYPE multus_eni_ec2_calls_total counter\n");
        new TreeMap<>(ec2Calls).forEach((k, v) -> m.append("multus_eni_ec2_calls_total{action=\"").append(k)
                .append("\"} ").append(v.get()).append('\n'));
        if (lastGood != null) {
            gauge(m, "multus_eni_seconds_since_last_good_reconcile", "Seconds since a check or look went through", "",
                    Duration.between(lastGood, clock.instant()).toMillis() / 1000.0);
        }
        if (bootAttach != null) {
            gauge(m, "multus_eni_boot_attach_seconds", "How long the boot phase took to hold an ENI", "",
                    bootAttach.toMillis() / 1000.0);
        }
        return m.toString();
    }

    /** The same facts as JSON, for {@code status}. */
    public String toJson() {
        Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put("role", role);
        f.put("eniId", eni);
        f.put("interfacePlace", place == null ? null : place.word);
        f.put("reconciles", reconciles.get());
        f.put("imdsLags", imdsLags.get());
        f.put("errors", new Json.Raw(Json.object(counts(errors))));
        f.put("ec2Calls", new Json.Raw(Json.object(counts(ec2Calls))));
        f.put("secondsSinceLastGoodReconcile", lastGood == null ? null
                : Duration.between(lastGood, clock.instant()).toMillis() / 1000.0);
        f.put("bootAttachSeconds", bootAttach == null ? null : bootAttach.toMillis() / 1000.0);
        return Json.object(f);
    }

    private static Map<String, Long> counts(Map<String, AtomicLong> counters) {
        Map<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public void writeTo(Path file) {
        AtomicFile.writeIfDifferent(file, render());
    }

    private static void gauge(StringBuilder m, String name, String help, String labels, double value) {
        m.append("# HELP ").append(name).append(' ').append(help).append(".\n# TYPE ").append(name).append(" gauge\n")
                .append(name).append(labels).append(' ').append(format(value)).append('\n');
    }

    private static void counter(StringBuilder m, String name, String help, String labels, long value) {
        m.append("# HELP ").append(name).append(' ').append(help).append(".\n# TYPE ").append(name)
                .append(" counter\n").append(name).append(labels).append(' ').append(value).append('\n');
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
