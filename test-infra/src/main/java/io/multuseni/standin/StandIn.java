package io.multuseni.standin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One EC2 region on loopback: the EC2 Query endpoint plus an IMDS endpoint per instance. What tests
 * start; {@link #env} gives the variables that point the jar (or the SDK) at it.
 */
public final class StandIn implements AutoCloseable {
    public final Ec2World world;
    public final Ec2Server ec2;
    private final Map<String, ImdsServer> imds = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public StandIn(String region) {
        world = new Ec2World(region);
        try {
            ec2 = new Ec2Server(world, 0);
        } catch (IOException e) {
            world.close();
            throw new UncheckedIOException(e);
        }
    }

    /** Adds an instance tagged with the cluster name, and its IMDS. */
    public Ec2World.Instance instance(String id, String zone, String cluster) {
        Ec2World.Instance instance = world.addInstance(id, zone, 4);
        instance.tags.put("eks:cluster-name", cluster);
        try {
            ImdsServer server = new ImdsServer(world.metadataOf(id), 0);
            imds.put(id, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return instance;
    }

    public ImdsServer imds(String instanceId) {
        return imds.get(instanceId);
    }

    /** The SDK's standard variables that make the instance's view of AWS this stand-in. */
    public Map<String, String> env(String instanceId) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.get(instanceId).endpoint().toString());
        env.put("AWS_ENDPOINT_URL_EC2", ec2.endpoint().toString());
        return env;
    }

    /** Closed with the stand-in (bridges, namespaces). */
    public void closeWith(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                System.err.println("stand-in cleanup: " + e);
            }
        }
        imds.values().forEach(ImdsServer::close);
        ec2.close();
        world.close();
    }
}
