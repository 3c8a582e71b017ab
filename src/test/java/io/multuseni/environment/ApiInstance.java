package io.multuseni.environment;

import io.multuseni.standin.HotPlug;
import io.multuseni.standin.ImdsServer;
import io.multuseni.standin.InstanceMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceAttachment;

/**
 * An instance of an {@link ApiEnvironment}: its IMDS answers from what EC2 reports about it, and a
 * poller (every 100 ms) makes ENIs whose attachment completed appear in its namespace, and go again.
 */
final class ApiInstance implements Instance, InstanceMetadata, AutoCloseable {
    private final Ec2Client ec2;
    private final String region;
    private final String id;
    private final String zone;
    private final String hostname;
    private final ImdsServer imds;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hot-plug-poller");
        t.setDaemon(true);
        return t;
    });
    /** MAC → device index of what has been plugged; only the poller's thread touches it. */
    private final Map<String, Integer> plugged = new HashMap<>();
    private volatile HotPlug hotPlug = HotPlug.NONE;
    private volatile String spotAction;
    private volatile String lifecycleState = "InService";
    private volatile boolean metadataTags = true;

    ApiInstance(Ec2Client ec2, String region, String id, String zone, String hostname) {
        this.ec2 = ec2;
        this.region = region;
        this.id = id;
        this.zone = zone;
        this.hostname = hostname;
        try {
            this.imds = new ImdsServer(this, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        poller.scheduleWithFixedDelay(this::plugWhatIsAttached, 100, 100, TimeUnit.MILLISECONDS);
    }

    private void plugWhatIsAttached() {
        try {
            Map<String, Integer> attached = new HashMap<>();
            interfaces().stream().filter(n -> n.deviceIndex() != 0)
                    .forEach(n -> attached.put(n.mac(), n.deviceIndex()));
            for (String mac : List.copyOf(plugged.keySet())) {
                if (!attached.containsKey(mac)) {
                    hotPlug.unplugged(mac);
                    plugged.remove(mac);
                }
            }
            attached.forEach((mac, deviceIndex) -> {
                if (!plugged.containsKey(mac)) {
                    hotPlug.plugged(mac, deviceIndex);
                    plugged.put(mac, deviceIndex);
                }
            });
        } catch (RuntimeException e) {
            if (!poller.isShutdown()) {
                System.err.println("hot-plug poller of " + id + ": " + e); // EC2 briefly unreachable: next round
            }
        }
    }

    @Override
    public String instanceType() {
        return ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0)
                .instanceTypeAsString();
    }

    static Map<String, String> tagsOf(Ec2Client ec2, String resourceId) {
        Map<String, String> tags = new LinkedHashMap<>();
        ec2.describeTags(r -> r.filters(ApiEnvironment.filter("resource-id", resourceId))).tags()
                .forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String instanceId() {
        return id;
    }

    @Override
    public String zone() {
        return zone;
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public String hostname() {
        return hostname;
    }

    @Override
    public ImdsServer imds() {
        return imds;
    }

    @Override
    public List<Nic> interfaces() {
        return ec2.describeNetworkInterfaces(r -> r.filters(ApiEnvironment.filter("attachment.instance-id", id)))
                .networkInterfaces().stream()
                .filter(n -> n.attachment() != null && "attached".equals(n.attachment().statusAsString()))
                .map(n -> {
                    NetworkInterfaceAttachment a = n.attachment();
                    return new Nic(n.macAddress(), n.networkInterfaceId(), a.deviceIndex(),
                            a.networkCardIndex() == null ? 0 : a.networkCardIndex(), n.privateIpAddress());
                }).toList();
    }

    @Override
    public Map<String, String> tags() {
        return metadataTags ? tagsOf(ec2, id) : null;
    }

    @Override
    public String spotAction() {
        return spotAction;
    }

    @Override
    public String lifecycleState() {
        return lifecycleState;
    }

    @Override
    public void hotPlug(HotPlug hotPlug) {
        this.hotPlug = hotPlug;
    }

    @Override
    public void spotAction(String action) {
        spotAction = action;
    }

    @Override
    public void lifecycleState(String state) {
        lifecycleState = state;
    }

    @Override
    public void metadataTags(boolean shown) {
        metadataTags = shown;
    }

    @Override
    public void close() {
        poller.shutdown();
        try {
            poller.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        imds.close();
    }
}
