package io.multuseni.environment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multuseni.standin.CallLog;
import io.multuseni.standin.Ec2Proxy;
import io.multuseni.standin.Ec2World;
import io.multuseni.standin.Faults;
import io.multuseni.standin.MockApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceAttachment;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Any EC2 and Kubernetes API server reached only through their APIs: LocalStack and k3s in the
 * Docker tier. The scene is set as one would on AWS (a VPC, a subnet per zone, RunInstances,
 * CreateNetworkInterface); our IMDS stand-in serves each instance what that EC2 reports about it, and
 * a poller makes attached ENIs appear in the instance's namespace, as the kernel would. The code
 * under test reaches EC2 through an {@link Ec2Proxy}, which counts its calls, fails them on demand
 * and puts them in an account of this environment's own (a fresh, empty region for every test).
 */
public final class ApiEnvironment implements Environment {
    private final String name;
    private final Set<Feature> features;
    private final String region;
    private final Ec2Client ec2;
    private final Ec2Proxy proxy;
    private final ApiServer api;
    private final KubernetesClient kube;
    private final Set<String> nodesBefore;
    private final Map<String, String> subnets = new LinkedHashMap<>();
    private final List<ApiInstance> instances = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<AutoCloseable> backends = new ArrayList<>();
    private String vpcId;
    private String imageId;

    /**
     * @param upstream the EC2 endpoint behind (LocalStack's)
     * @param features what this backend does of {@link Feature}
     */
    public ApiEnvironment(String name, Set<Feature> features, URI upstream, String region, ApiServer api) {
        this.name = name;
        this.features = features;
        this.region = region;
        // A 12-digit access key is the account LocalStack files everything under.
        String account = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000L, 1_000_000_000_000L));
        this.ec2 = Ec2Client.builder().region(Region.of(region)).endpointOverride(upstream)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        try {
            this.proxy = new Ec2Proxy(upstream, account);
        } catch (IOException e) {
            ec2.close();
            throw new UncheckedIOException(e);
        }
        this.api = api;
        this.kube = api.newClient();
        this.nodesBefore = Set.copyOf(kube.nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
                .toList());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean has(Feature feature) {
        return features.contains(feature);
    }

    @Override
    public Ec2World world() {
        throw new UnsupportedOperationException(name + " has no stand-in world; the scenario should assume "
                + Feature.EC2_TIMING);
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public URI ec2Endpoint() {
        return proxy.endpoint();
    }

    @Override
    public CallLog calls() {
        return proxy.log();
    }

    @Override
    public Faults faults() {
        return proxy.faults();
    }

    private synchronized String subnet(String zone) {
        if (vpcId == null) {
            vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        }
        return subnets.computeIfAbsent(zone, z -> ec2.createSubnet(r -> r.vpcId(vpcId).availabilityZone(z)
                .cidrBlock("10.0." + (subnets.size() + 1) + ".0/24")).subnet().subnetId());
    }

    private static TagSpecification tags(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()).build();
    }

    /** An image the EC2 knows (LocalStack may refuse RunInstances with an unknown one); none is ever run. */
    private String image() {
        if (imageId == null) {
            imageId = ec2.describeImages(r -> r.filters(filter("state", "available"))).images().stream()
                    .findFirst().orElseThrow(() -> new IllegalStateException(name + " lists no image to run"
                            + " instances from"))
                    .imageId();
        }
        return imageId;
    }

    @Override
    public synchronized Instance instance(String zone, String cluster) {
        software.amazon.awssdk.services.ec2.model.Instance run = ec2.runInstances(r -> r.imageId(image())
                .instanceType(InstanceType.T3_LARGE).minCount(1).maxCount(1).subnetId(subnet(zone))
                .tagSpecifications(tags(ResourceType.INSTANCE, Map.of("eks:cluster-name", cluster))))
                .instances().get(0);
        if (run.privateDnsName() == null || run.privateDnsName().isBlank()) {
            throw new IllegalStateException(name + " gave instance " + run.instanceId() + " no private DNS name,"
                    + " which IMDS and the Node name need");
        }
        ApiInstance instance = new ApiInstance(ec2, region, run.instanceId(), zone, run.privateDnsName());
        instances.add(instance);
        return instance;
    }

    @Override
    public Eni addEni(String zone, Map<String, String> tags) {
        NetworkInterface eni = ec2.createNetworkInterface(r -> r.subnetId(subnet(zone))
                .tagSpecifications(tags(ResourceType.NETWORK_INTERFACE, tags))).networkInterface();
        return new Eni(eni.networkInterfaceId(), eni.macAddress(), eni.privateIpAddress());
    }

    @Override
    public EniState eni(String id) {
        NetworkInterface eni = ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(id)).networkInterfaces().get(0);
        NetworkInterfaceAttachment a = eni.attachment();
        return new EniState(eni.statusAsString(), eni.macAddress(), Optional.ofNullable(a).map(x -> new Attachment(x.attachmentId(),
                x.instanceId(), x.deviceIndex(), x.statusAsString())));
    }

    @Override
    public String attach(String eniId, String instanceId, int deviceIndex) {
        return ec2.attachNetworkInterface(r -> r.networkInterfaceId(eniId).instanceId(instanceId)
                .deviceIndex(deviceIndex)).attachmentId();
    }

    @Override
    public void detach(String attachmentId) {
        ec2.detachNetworkInterface(r -> r.attachmentId(attachmentId).force(true));
    }

    @Override
    public String primaryEniOf(String instanceId) {
        return ec2.describeNetworkInterfaces(r -> r.filters(
                Filter.builder().name("attachment.instance-id").values(instanceId).build(),
                Filter.builder().name("attachment.device-index").values("0").build()))
                .networkInterfaces().get(0).networkInterfaceId();
    }

    @Override
    public void tag(String resourceId, String key, String value) {
        ec2.createTags(r -> r.resources(resourceId).tags(Tag.builder().key(key).value(value).build()));
    }

    @Override
    public void untag(String resourceId, String key) {
        ec2.deleteTags(r -> r.resources(resourceId).tags(Tag.builder().key(key).build()));
    }

    @Override
    public Map<String, String> instanceTags(String instanceId) {
        return ApiInstance.tagsOf(ec2, instanceId);
    }

    static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    @Override
    public KubernetesClient kube() {
        return kube;
    }

    @Override
    public ApiServer apiServer() {
        return api;
    }

    @Override
    public List<MockApiServer.Request> apiRequests() {
        throw new UnsupportedOperationException(name + " records no API requests; assume " + Feature.API_REQUEST_LOG);
    }

    @Override
    public void refuseApi(String resource, boolean refuse) {
        throw new UnsupportedOperationException(name + " refuses nothing on demand; assume " + Feature.API_REFUSALS);
    }

    @Override
    public void stopApi() {
        throw new UnsupportedOperationException(name + " cannot stop its API server; assume " + Feature.API_RESTART);
    }

    @Override
    public void startApi() {
        stopApi();
    }

    @Override
    public void closeWith(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    /** A backend this environment owns, closed last. */
    void closeAfter(AutoCloseable backend) {
        backends.add(backend);
    }

    /** Closes what the scenario opened, then removes the Nodes it registered (the API server outlives it). */
    @Override
    public void close() {
        closeAll(closeables);
        instances.forEach(ApiInstance::close);
        kube.nodes().list().getItems().stream().map(HasMetadata::getMetadata)
                .filter(m -> !nodesBefore.contains(m.getName()))
                .forEach(m -> kube.nodes().withName(m.getName()).delete());
        kube.close();
        proxy.close();
        ec2.close();
        closeAll(backends);
    }

    private void closeAll(List<AutoCloseable> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            try {
                list.get(i).close();
            } catch (Exception e) {
                System.err.println(name + " cleanup: " + e);
            }
        }
    }
}
