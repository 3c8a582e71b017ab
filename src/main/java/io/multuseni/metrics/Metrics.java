package io.multuseni.metrics;

import io.multuseni.agent.NodeEvents;
import io.multuseni.fs.AtomicFile;
import io.multuseni.json.Json;
import io.multuseni.node.Place;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the daemon has done, in Prometheus' text format, for node_exporter's textfile collector:
 * written atomically (the collector never reads half a file) after every check.
 */
public final class Metrics implements NodeEvents {
    private final Clock clock;
    private final AtomicLong reconciles = new AtomicLong();
    private final AtomicLong imdsLags = new AtomicLong();
    /** By their labels as written, {@code kind="imds"} or {@code network="sig",kind="links"}: sorted, they group. */
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ec2Calls = new ConcurrentHashMap<>();
    /** Each network's role and holding, by network id, in the order the networks were first reported. */
    private final Map<String, Network> networks = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile Instant lastGood;

    /** One network's part: its role, what it holds (null eni: nothing) and how long its boot took to hold it. */
    private record Network(String role, String eni, String interfaceName, Place place, Duration bootAttach) {
        Network as(String newRole) {
            return new Network(newRole, null, null, null, bootAttach);
        }
    }

    public Metrics(Clock clock) {
        this.clock = clock;
    }

    public void ec2Call(String action) {
        ec2Calls.computeIfAbsent(action, k -> new AtomicLong()).incrementAndGet();
    }

    public long ec2Calls() {
        return ec2Calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public void reconciled() {
        reconciles.incrementAndGet();
        lastGood = clock.instant();
    }

    @Override
    public void error(String kind) {
        errors.computeIfAbsent("kind=\"" + kind + '"', k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void error(String network, String kind) {
        errors.computeIfAbsent("network=\"" + network + "\",kind=\"" + kind + '"', k -> new AtomicLong())
                .incrementAndGet();
    }

    @Override
    public void holding(String network, String eniId, String name, Place where) {
        networks.compute(network, (k, n) -> new Network("holder", eniId, name, where,
                n == null ? null : n.bootAttach()));
    }

    @Override
    public void imdsLag() {
        imdsLags.incrementAndGet();
    }

    @Override
    public void standby(String network) {
        notHolding(network, "standby");
    }

    @Override
    public void leaving(String network) {
        notHolding(network, "leaving");
    }

    private void notHolding(String network, String now) {
        networks.compute(network, (k, n) -> n == null ? new Network(now, null, null, null, null) : n.as(now));
    }

    @Override
    public void bootAttach(String network, Duration took) {
        networks.compute(network, (k, n) -> n == null ? new Network("standby", null, null, null, took)
                : new Network(n.role(), n.eni(), n.interfaceName(), n.place(), took));
    }

    private Map<String, Network> snapshot() {
        synchronized (networks) {
            return new LinkedHashMap<>(networks);
        }
    }

    public String render() {
        StringBuilder m = new StringBuilder();
        Map<String, Network> all = snapshot();
        m.append("# HELP multus_eni_attached 1 while this node holds the network's ENI (its interface on the host or in"
                + " a pod).\n# TYPE multus_eni_attached gauge\n");
        all.forEach((id, n) -> m.append("multus_eni_attached{network=\"").append(id).append('"')
                .append(n.eni() == null ? "" : ",eni=\"" + n.eni() + "\",interface=\"" + n.interfaceName() + '"')
                .append("} ").append(n.eni() == null ? 0 : 1).append('\n'));
        m.append("# HELP multus_eni_interface_place Where a held ENI's interface is: on the host, in a pod"
                + " (host-device moved it), or misnamed.\n# TYPE multus_eni_interface_place gauge\n");
        all.forEach((id, n) -> {
            for (Place p : n.eni() == null ? new Place[0] : Place.values()) {
                m.append("multus_eni_interface_place{network=\"").append(id).append("\",place=\"").append(p.word)
                        .append("\"} ").append(p == n.place() ? 1 : 0).append('\n');
            }
        });
        m.append("# HELP multus_eni_role Each network's role on this node: holder, standby or leaving.\n"
                + "# TYPE multus_eni_role gauge\n");
        all.forEach((id, n) -> {
            for (String r : new String[] {"holder", "standby", "leaving"}) {
                m.append("multus_eni_role{network=\"").append(id).append("\",role=\"").append(r).append("\"} ")
                        .append(r.equals(n.role()) ? 1 : 0).append('\n');
            }
        });
        counter(m, "multus_eni_reconciles_total", "Checks and looks that went through", "", reconciles.get());
        counter(m, "multus_eni_imds_lag_total", "Times IMDS omitted the held ENI while EC2 had it attached", "",
                imdsLags.get());
        m.append("# HELP multus_eni_errors_total Failed checks and looks, by kind, and by network where the error is"
                + " one network's.\n# TYPE multus_eni_errors_total counter\n");
        new TreeMap<>(errors).forEach((labels, v) -> m.append("multus_eni_errors_total{").append(labels).append("} ")
                .append(v.get()).append('\n'));
        m.append("# HELP multus_eni_ec2_calls_total EC2 API calls, by action.\n")
                .append("# TYPE multus_eni_ec2_calls_total counter\n");
        new TreeMap<>(ec2Calls).forEach((k, v) -> m.append("multus_eni_ec2_calls_total{action=\"").append(k)
                .append("\"} ").append(v.get()).append('\n'));
        if (lastGood != null) {
            gauge(m, "multus_eni_seconds_since_last_good_reconcile", "Seconds since a check or look went through", "",
                    Duration.between(lastGood, clock.instant()).toMillis() / 1000.0);
        }
        if (all.values().stream().anyMatch(n -> n.bootAttach() != null)) {
            m.append("# HELP multus_eni_boot_attach_seconds How long the boot phase took to hold the network's ENI.\n"
                    + "# TYPE multus_eni_boot_attach_seconds gauge\n");
            all.forEach((id, n) -> {
                if (n.bootAttach() != null) {
                    m.append("multus_eni_boot_attach_seconds{network=\"").append(id).append("\"} ")
                            .append(format(n.bootAttach().toMillis() / 1000.0)).append('\n');
                }
            });
        }
        return m.toString();
    }

    /** The same facts as JSON, for {@code status}. */
    public String toJson() {
        Map<String, Network> all = snapshot();
        Map<String, Object> networkFields = new LinkedHashMap<>();
        all.forEach((id, n) -> networkFields.put(id, fields(n)));
        // The first network is the default one: its fields at the top, where a one-network reader looks.
        Network main = all.values().stream().findFirst().orElse(new Network("standby", null, null, null, null));
        Map<String, Object> f = new LinkedHashMap<>(fields(main));
        f.put("reconciles", reconciles.get());
        f.put("imdsLags", imdsLags.get());
        Map<String, Long> errorsByKind = new TreeMap<>();
        errors.forEach((labels, v) -> errorsByKind.merge(labels.replaceFirst(".*kind=\"(.*)\"", "$1"), v.get(),
                Long::sum));
        f.put("errors", new Json.Raw(Json.object(errorsByKind)));
        f.put("ec2Calls", new Json.Raw(Json.object(counts(ec2Calls))));
        f.put("secondsSinceLastGoodReconcile", lastGood == null ? null
                : Duration.between(lastGood, clock.instant()).toMillis() / 1000.0);
        f.put("networks", networkFields);
        return Json.object(f);
    }

    private static Map<String, Object> fields(Network n) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("role", n.role());
        f.put("eniId", n.eni());
        f.put("interfacePlace", n.place() == null ? null : n.place().word);
        f.put("bootAttachSeconds", n.bootAttach() == null ? null : n.bootAttach().toMillis() / 1000.0);
        return f;
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
