package io.multuseni.standin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The state of a small EC2 region: instances, network interfaces, tags and attachments, with the
 * behaviour of EC2 where multus-eni depends on it. Attach and detach are asynchronous
 * ({@code attaching} → {@code attached}, {@code detaching} → {@code available}) after a configurable
 * delay; conflicts, device indices, per-instance limits and zones are enforced as EC2 does.
 * Every public method is synchronized: the HTTP handlers and the transition timers share it.
 */
public final class Ec2World implements AutoCloseable {

    /** A tagged EC2 error, turned into EC2's XML error reply by the server. */
    public static final class Ec2Error extends RuntimeException {
        public final int status;
        public final String code;

        public Ec2Error(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /** An instance type's network, as DescribeInstanceTypes' NetworkInfo gives it for the default network card. */
    public record Type(String name, int interfaces, int ipv4PerInterface) {}

    /** Real instance types (their published limits), one per interface count the tests use first. */
    public static final List<Type> TYPES = List.of(new Type("t3.micro", 2, 2), new Type("m5.large", 3, 10),
            new Type("m5.xlarge", 4, 15), new Type("c5.4xlarge", 8, 30), new Type("m5.24xlarge", 15, 50),
            new Type("t3.medium", 3, 6), new Type("t3.large", 3, 12));

    public static final class Instance {
        public final String id;
        public final String zone;
        public final String hostname;
        public final int maxInterfaces;
        /** What DescribeInstanceTypes and IMDS say it is: the first of {@link #TYPES} with its interface limit. */
        public final Type instanceType;
        public final Map<String, String> tags = new java.util.concurrent.ConcurrentSkipListMap<>();
        /** Whether IMDS shows the instance's tags (the InstanceMetadataTags option). */
        public volatile boolean metadataTags = true;
        /** IMDS spot/instance-action: null until a spot interruption is scheduled. */
        public volatile String spotAction;
        /** IMDS autoscaling/target-lifecycle-state. */
        public volatile String lifecycleState = "InService";
        /** Where attached interfaces of this instance appear; none for instances without a namespace. */
        public volatile HotPlug hotPlug = HotPlug.NONE;

        Instance(String id, String zone, String hostname, int maxInterfaces) {
            this.id = id;
            this.zone = zone;
            this.hostname = hostname;
            this.maxInterfaces = maxInterfaces;
            this.instanceType = TYPES.stream().filter(t -> t.interfaces() == maxInterfaces).findFirst()
                    .orElse(new Type("standin." + maxInterfaces + "eni", maxInterfaces, 10));
        }
    }

    public static final class Attachment {
        public final String id;
        public final String instanceId;
        public final int deviceIndex;
        public final int networkCardIndex;
        public volatile String status;

        Attachment(String id, String instanceId, int deviceIndex, int networkCardIndex, String status) {
            this.id = id;
            this.instanceId = instanceId;
            this.deviceIndex = deviceIndex;
            this.networkCardIndex = networkCardIndex;
            this.status = status;
        }
    }

    public static final class Eni {
        public final String id;
        public final String mac;
        public final String zone;
        public final String subnetId;
        public final String privateIp;
        public final Map<String, String> tags = new TreeMap<>();
        public volatile String status = "available";
        public volatile Attachment attachment;
        /** EC2's InterfaceType: interface, or efa, trunk, branch… for ENIs of other services. */
        public volatile String interfaceType = "interface";
        /** Whether an AWS service created and manages it. */
        public volatile boolean requesterManaged;

        Eni(String id, String mac, String zone, String subnetId, String privateIp) {
            this.id = id;
            this.mac = mac;
            this.zone = zone;
            this.subnetId = subnetId;
            this.privateIp = privateIp;
        }
    }

    private final String region;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final Map<String, Eni> enis = new LinkedHashMap<>();
    private final Map<String, String> subnets = new LinkedHashMap<>();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "ec2-standin-transitions");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger sequence = new AtomicInteger(0x100);
    private final CallLog log = new CallLog();
    private final Faults faults = new Faults();
    private final TokenBuckets buckets = new TokenBuckets();
    private volatile long attachDelayMillis = 300;
    private volatile long latencyMillis;
    /** ENIs whose attachments never leave {@code attaching} (a fault on demand). */
    public final java.util.Set<String> stuckAttaching = ConcurrentHashMap.newKeySet();
    private volatile long detachDelayMillis = 300;
    /** Transitions scheduled with no delay that have not run yet (see {@link #awaitTransitions()}). */
    private final AtomicInteger immediate = new AtomicInteger();

    public Ec2World(String region) {
        this.region = region;
    }

    public String region() {
        return region;
    }

    public Faults faults() {
        return faults;
    }

    public TokenBuckets buckets() {
        return buckets;
    }

    /**
     * What every call goes through before it acts, over HTTP or in memory: counted, then the rate
     * limits and the faults on demand; a call refused here changes nothing.
     */
    public void admit(String action) {
        log.count(action);
        buckets.admit(action);
        faults.check(action);
    }

    /** How long every EC2 call takes before it is answered: a regional endpoint's round trip (0: none). */
    public void latency(long millis) {
        latencyMillis = millis;
    }

    /** Waits out the configured round trip of one call. */
    public void roundTrip() {
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void attachDelay(long millis) {
        attachDelayMillis = millis;
    }

    public void detachDelay(long millis) {
        detachDelayMillis = millis;
    }

    /** Adds an instance with its primary interface at device index 0 (as every instance has). */
    public synchronized Instance addInstance(String id, String zone, int maxInterfaces) {
        String hostname = "ip-10-0-" + (instances.size() + 1) + "-10." + region + ".compute.internal";
        Instance instance = new Instance(id, zone, hostname, maxInterfaces);
        instances.put(id, instance);
        Eni primary = addEni(zone, Map.of());
        primary.status = "in-use";
        primary.attachment = new Attachment(nextId("eni-attach-"), id, 0, 0, "attached");
        return instance;
    }

    /** DescribeInstanceTypes: a type of {@link #TYPES}, or one an instance of this world has. */
    public synchronized Type instanceType(String name) {
        return Stream.concat(TYPES.stream(), instances.values().stream().map(i -> i.instanceType))
                .filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new Ec2Error(400, "InvalidInstanceType", "The following supplied instance types do"
                        + " not exist: [" + name + "]"));
    }

    /** A new instance with a generated id, as RunInstances makes one. */
    public synchronized Instance runInstance(String zone, Map<String, String> tags) {
        Instance instance = addInstance(String.format("i-0%016x", 0x1230000L + sequence.incrementAndGet()), zone, 4);
        instance.tags.putAll(tags);
        return instance;
    }

    /** A subnet is only a zone here: ENIs are created in one by naming it. */
    public synchronized String addSubnet(String zone) {
        String id = nextId("subnet-");
        subnets.put(id, zone);
        return id;
    }

    public synchronized String zoneOfSubnet(String subnetId) {
        String zone = subnets.get(subnetId);
        if (zone == null) {
            throw new Ec2Error(400, "InvalidSubnetID.NotFound", "The subnet ID '" + subnetId + "' does not exist");
        }
        return zone;
    }

    /**
     * An ENI in the zone's first subnet, or in the zone's default subnet, whose id is made from the zone's
     * name (so that ids the tests see do not shift).
     */
    public synchronized Eni addEni(String zone, Map<String, String> tags) {
        String subnet = subnets.entrySet().stream().filter(s -> s.getValue().equals(zone)).map(Map.Entry::getKey)
                .findFirst().orElseGet(() -> {
                    String id = String.format("subnet-0%016x", zone.hashCode() & 0xffffffffL);
                    subnets.put(id, zone);
                    return id;
                });
        return newEni(zone, subnet, tags);
    }

    public synchronized Eni addEniInSubnet(String subnetId, Map<String, String> tags) {
        return newEni(zoneOfSubnet(subnetId), subnetId, tags);
    }

    private Eni newEni(String zone, String subnetId, Map<String, String> tags) {
        int n = sequence.incrementAndGet();
        String id = String.format("eni-0%016x", 0xabc0000L + n);
        String mac = String.format("0a:%02x:%02x:00:%02x:%02x", (n >> 16) & 0xff, (n >> 8) & 0xff,
                (n >> 4) & 0xff, n & 0xff);
        Eni eni = new Eni(id, mac, zone, subnetId, "10.0.9." + (n & 0xff));
        eni.tags.putAll(tags);
        enis.put(id, eni);
        return eni;
    }

    private String nextId(String prefix) {
        return String.format("%s0%016x", prefix, 0xdef0000L + sequence.incrementAndGet());
    }

    public synchronized Instance instance(String id) {
        Instance instance = instances.get(id);
        if (instance == null) {
            throw new IllegalArgumentException("no instance " + id);
        }
        return instance;
    }

    public synchronized Eni eni(String id) {
        Eni eni = enis.get(id);
        if (eni == null) {
            throw new Ec2Error(400, "InvalidNetworkInterfaceID.NotFound",
                    "The networkInterface ID '" + id + "' does not exist");
        }
        return eni;
    }

    public synchronized Collection<Eni> enis() {
        return List.copyOf(enis.values());
    }

    /** Interfaces whose attachment to the instance has completed, as IMDS lists them. */
    public synchronized List<Eni> attachedTo(String instanceId) {
        List<Eni> result = new ArrayList<>();
        for (Eni eni : enis.values()) {
            Attachment a = eni.attachment;
            if (a != null && a.instanceId.equals(instanceId) && a.status.equals("attached")) {
                result.add(eni);
            }
        }
        return result;
    }

    /** What IMDS shows the instance, read live from this world. */
    public InstanceMetadata metadataOf(String instanceId) {
        Instance instance = instance(instanceId);
        return new InstanceMetadata() {
            @Override
            public String instanceId() {
                return instance.id;
            }

            @Override
            public String zone() {
                return instance.zone;
            }

            @Override
            public String region() {
                return region;
            }

            @Override
            public String hostname() {
                return instance.hostname;
            }

            @Override
            public String instanceType() {
                return instance.instanceType.name();
            }

            @Override
            public List<Nic> interfaces() {
                synchronized (Ec2World.this) {
                    return attachedTo(instance.id).stream().map(e -> new Nic(e.mac, e.id,
                            e.attachment.deviceIndex, e.attachment.networkCardIndex, e.privateIp)).toList();
                }
            }

            @Override
            public Map<String, String> tags() {
                return instance.metadataTags ? Map.copyOf(instance.tags) : null;
            }

            @Override
            public String spotAction() {
                return instance.spotAction;
            }

            @Override
            public String lifecycleState() {
                return instance.lifecycleState;
            }
        };
    }

    // ---- call accounting, for tests that assert what was (not) called ----

    public CallLog log() {
        return log;
    }

    public int calls(String action) {
        return log.calls(action);
    }

    public int totalCalls() {
        return log.totalCalls();
    }

    public List<String> mutations() {
        return log.mutations();
    }

    // ---- the EC2 actions ----

    public synchronized String attach(String eniId, String instanceId, int deviceIndex, int networkCardIndex) {
        Eni eni = eni(eniId);
        Instance instance = instances.get(instanceId);
        if (instance == null) {
            throw new Ec2Error(400, "InvalidInstanceID.NotFound", "The instance ID '" + instanceId + "' does not exist");
        }
        if (eni.attachment != null || !eni.status.equals("available")) {
            throw new Ec2Error(400, "InvalidParameterValue", "Interface: [" + eniId + "] in use.");
        }
        if (!eni.zone.equals(instance.zone)) {
            throw new Ec2Error(400, "InvalidParameterCombination", "You may not attach a network interface to an"
                    + " instance if they are not in the same availability zone");
        }
        if (networkCardIndex != 0) {
            throw new Ec2Error(400, "InvalidParameterValue", "Network card index " + networkCardIndex
                    + " is not supported by this instance type");
        }
        List<Eni> held = enisOf(instanceId);
        for (Eni other : held) {
            if (other.attachment.deviceIndex == deviceIndex) {
                throw new Ec2Error(400, "InvalidParameterValue", "Instance '" + instanceId
                        + "' already has an interface attached at device index '" + deviceIndex + "'.");
            }
        }
        if (held.size() >= instance.maxInterfaces) {
            throw new Ec2Error(400, "AttachmentLimitExceeded", "Interface count " + (held.size() + 1)
                    + " exceeds the limit for this instance type");
        }
        Attachment attachment = new Attachment(nextId("eni-attach-"), instanceId, deviceIndex, networkCardIndex,
                "attaching");
        eni.attachment = attachment;
        eni.status = "in-use";
        log.record("AttachNetworkInterface " + eniId + " " + instanceId + " " + deviceIndex);
        transition(() -> completeAttach(eni, attachment, instance), attachDelayMillis);
        return attachment.id;
    }

    /** Completes an attach or a detach later, on a timer thread, as EC2 does: the call returns first. */
    private void transition(Runnable complete, long delayMillis) {
        if (delayMillis > 0) {
            timers.schedule(complete, delayMillis, TimeUnit.MILLISECONDS);
            return;
        }
        immediate.incrementAndGet();
        timers.execute(() -> {
            try {
                complete.run();
            } finally {
                immediate.decrementAndGet();
            }
        });
    }

    /**
     * Waits until every attach and detach asked for with no delay has completed (a stuck one completes at once,
     * staying {@code attaching}): what a test on a fake clock calls before it moves time on, so that what EC2
     * does "at once" is done by then, without sleeping real time. Delayed ones stay on real time.
     */
    public void awaitTransitions() {
        while (immediate.get() > 0) {
            Thread.onSpinWait();
        }
    }

    private void completeAttach(Eni eni, Attachment attachment, Instance instance) {
        synchronized (this) {
            if (eni.attachment != attachment || !attachment.status.equals("attaching")
                    || stuckAttaching.contains(eni.id)) {
                return;
            }
            attachment.status = "attached";
        }
        instance.hotPlug.plugged(eni.mac, attachment.deviceIndex);
    }

    public synchronized void detach(String attachmentId, boolean force) {
        Eni eni = enis.values().stream()
                .filter(e -> e.attachment != null && e.attachment.id.equals(attachmentId))
                .findFirst()
                .orElseThrow(() -> new Ec2Error(400, "InvalidAttachmentID.NotFound",
                        "The attachment ID '" + attachmentId + "' does not exist"));
        Attachment attachment = eni.attachment;
        if (attachment.deviceIndex == 0) {
            throw new Ec2Error(400, "OperationNotPermitted", "The network interface at device index 0 cannot be detached.");
        }
        if (attachment.status.equals("detaching")) {
            return;
        }
        boolean wasPlugged = attachment.status.equals("attached");
        attachment.status = "detaching";
        eni.status = "detaching";
        log.record("DetachNetworkInterface " + eni.id + " " + attachment.instanceId);
        Instance instance = instances.get(attachment.instanceId);
        transition(() -> completeDetach(eni, attachment, instance, wasPlugged), detachDelayMillis);
    }

    /**
     * Detaches whatever attachment the ENI has, as {@code aws ec2 detach-network-interface --force} by an operator
     * would, and does nothing when it has none. One call under the world's lock: read apart from the detach, the
     * attachment may complete its own earlier detach in between and be gone.
     */
    public synchronized void forceDetachIfAttached(String eniId) {
        Attachment attachment = eni(eniId).attachment;
        if (attachment != null) {
            detach(attachment.id, true);
        }
    }

    private void completeDetach(Eni eni, Attachment attachment, Instance instance, boolean wasPlugged) {
        if (wasPlugged) {
            instance.hotPlug.unplugged(eni.mac);
        }
        synchronized (this) {
            if (eni.attachment == attachment) {
                eni.attachment = null;
                eni.status = "available";
            }
        }
    }

    private List<Eni> enisOf(String instanceId) {
        List<Eni> result = new ArrayList<>();
        for (Eni eni : enis.values()) {
            if (eni.attachment != null && eni.attachment.instanceId.equals(instanceId)) {
                result.add(eni);
            }
        }
        return result;
    }

    public synchronized void createTags(List<String> resourceIds, Map<String, String> tags) {
        for (String id : resourceIds) {
            taggable(id).putAll(tags);
            log.record("CreateTags " + id + " " + tags);
        }
    }

    /** DeleteTags: a tag given with a value is deleted only when the value matches, as in EC2. */
    public synchronized void deleteTags(List<String> resourceIds, Map<String, Optional<String>> tags) {
        for (String id : resourceIds) {
            Map<String, String> current = taggable(id);
            tags.forEach((key, value) -> {
                if (value.isEmpty() || value.get().equals(current.get(key))) {
                    current.remove(key);
                }
            });
            log.record("DeleteTags " + id + " " + tags.keySet());
        }
    }

    private Map<String, String> taggable(String id) {
        if (instances.containsKey(id)) {
            return instances.get(id).tags;
        }
        if (enis.containsKey(id)) {
            return enis.get(id).tags;
        }
        throw new Ec2Error(400, id.startsWith("i-") ? "InvalidInstanceID.NotFound" : "InvalidID",
                "The ID '" + id + "' is not valid");
    }

    /** Tags of all resources, filtered as DescribeTags does ({@code resource-id}, {@code key}, {@code resource-type}). */
    public synchronized List<String[]> describeTags(Filters filters) {
        List<String[]> rows = new ArrayList<>();
        instances.values().forEach(i -> i.tags.forEach((k, v) -> rows.add(new String[] {i.id, "instance", k, v})));
        enis.values().forEach(e -> e.tags.forEach((k, v) -> rows.add(new String[] {e.id, "network-interface", k, v})));
        rows.removeIf(r -> !filters.matches(Map.of("resource-id", r[0], "resource-type", r[1], "key", r[2],
                "value", r[3]), Map.of()));
        return rows;
    }

    public synchronized List<Eni> describeNetworkInterfaces(List<String> ids, Filters filters) {
        List<Eni> result = new ArrayList<>();
        for (String id : ids) {
            eni(id);
        }
        for (Eni eni : enis.values()) {
            if (!ids.isEmpty() && !ids.contains(eni.id)) {
                continue;
            }
            Map<String, String> fields = new TreeMap<>();
            fields.put("network-interface-id", eni.id);
            fields.put("availability-zone", eni.zone);
            fields.put("status", eni.status);
            fields.put("mac-address", eni.mac);
            Attachment a = eni.attachment;
            if (a != null) {
                fields.put("attachment.instance-id", a.instanceId);
                fields.put("attachment.attachment-id", a.id);
                fields.put("attachment.status", a.status);
                fields.put("attachment.device-index", Integer.toString(a.deviceIndex));
            }
            if (filters.matches(fields, eni.tags)) {
                result.add(eni);
            }
        }
        return result;
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
