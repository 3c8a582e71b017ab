package io.multuseni.environment;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.multuseni.standin.CallLog;
import io.multuseni.standin.Ec2World;
import io.multuseni.standin.Faults;
import io.multuseni.standin.HotPlug;
import io.multuseni.standin.ImdsServer;
import io.multuseni.standin.MockApiServer;
import io.multuseni.standin.StandIn;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Our own stand-ins: the EC2 + IMDS stand-in and fabric8's mock API server, on loopback, recording
 * EC2 changes and API requests on one timeline. Strict about EC2's rules and timing; runs everywhere.
 */
public final class StandInEnvironment implements Environment {
    private final StandIn standIn = new StandIn("eu-west-2");
    private final int apiPort = MockApiServer.freePort();
    private MockApiServer api;
    private KubernetesClient kube;
    private int instances;

    public StandInEnvironment() {
        startApi();
    }

    @Override
    public String name() {
        return "stand-in";
    }

    @Override
    public boolean has(Feature feature) {
        return true;
    }

    @Override
    public Ec2World world() {
        return standIn.world;
    }

    @Override
    public String region() {
        return standIn.world.region();
    }

    @Override
    public URI ec2Endpoint() {
        return standIn.ec2.endpoint();
    }

    @Override
    public CallLog calls() {
        return standIn.world.log();
    }

    @Override
    public Faults faults() {
        return standIn.world.faults();
    }

    @Override
    public Instance instance(String zone, String cluster) {
        Ec2World.Instance instance = standIn.instance(String.format("i-0%016x", 0xa0L + ++instances), zone, cluster);
        ImdsServer imds = standIn.imds(instance.id);
        return new Instance() {
            @Override
            public String id() {
                return instance.id;
            }

            @Override
            public String zone() {
                return instance.zone;
            }

            @Override
            public String hostname() {
                return instance.hostname;
            }

            @Override
            public ImdsServer imds() {
                return imds;
            }

            @Override
            public void hotPlug(HotPlug hotPlug) {
                instance.hotPlug = hotPlug;
            }

            @Override
            public void spotAction(String action) {
                instance.spotAction = action;
            }

            @Override
            public void lifecycleState(String state) {
                instance.lifecycleState = state;
            }

            @Override
            public void metadataTags(boolean shown) {
                instance.metadataTags = shown;
            }
        };
    }

    @Override
    public Eni addEni(String zone, Map<String, String> tags) {
        Ec2World.Eni eni = standIn.world.addEni(zone, tags);
        return new Eni(eni.id, eni.mac, eni.privateIp);
    }

    @Override
    public EniState eni(String id) {
        synchronized (standIn.world) {
            Ec2World.Eni eni = standIn.world.eni(id);
            Ec2World.Attachment a = eni.attachment;
            return new EniState(eni.status, eni.mac, Optional.ofNullable(a).map(x -> new Attachment(x.id, x.instanceId,
                    x.deviceIndex, x.status)));
        }
    }

    @Override
    public String attach(String eniId, String instanceId, int deviceIndex) {
        return standIn.world.attach(eniId, instanceId, deviceIndex, 0);
    }

    @Override
    public void detach(String attachmentId) {
        standIn.world.detach(attachmentId, true);
    }

    @Override
    public String primaryEniOf(String instanceId) {
        synchronized (standIn.world) {
            return standIn.world.attachedTo(instanceId).stream().filter(e -> e.attachment.deviceIndex == 0)
                    .findFirst().orElseThrow().id;
        }
    }

    @Override
    public void tag(String resourceId, String key, String value) {
        synchronized (standIn.world) {
            tagsOf(resourceId).put(key, value);
        }
    }

    @Override
    public void untag(String resourceId, String key) {
        synchronized (standIn.world) {
            tagsOf(resourceId).remove(key);
        }
    }

    /** The live tags, changed without going on the timeline of changes, as the API environment's are. */
    private Map<String, String> tagsOf(String resourceId) {
        return resourceId.startsWith("i-") ? standIn.world.instance(resourceId).tags
                : standIn.world.eni(resourceId).tags;
    }

    @Override
    public Map<String, String> instanceTags(String instanceId) {
        return Map.copyOf(standIn.world.instance(instanceId).tags);
    }

    @Override
    public KubernetesClient kube() {
        return kube;
    }

    @Override
    public ApiServer apiServer() {
        return ApiServer.of(() -> api, apiPort);
    }

    @Override
    public List<MockApiServer.Request> apiRequests() {
        return api.requests();
    }

    @Override
    public void refuseApi(String resource, boolean refuse) {
        api.refuse(resource, refuse);
    }

    @Override
    public void stopApi() {
        kube.close();
        api.close();
    }

    @Override
    public void startApi() {
        api = new MockApiServer(apiPort, standIn.world.log()::record);
        kube = api.newClient();
    }

    /** Closed with the environment (bridges, namespaces), in reverse order. */
    public void closeWith(AutoCloseable closeable) {
        standIn.closeWith(closeable);
    }

    @Override
    public void close() {
        standIn.close();
        stopApi();
    }
}
