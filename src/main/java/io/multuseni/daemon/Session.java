package io.multuseni.daemon;

import io.multuseni.agent.KubernetesEvents;
import io.multuseni.agent.NodeEvents;
import io.multuseni.aws.Ec2;
import io.multuseni.aws.HttpImds;
import io.multuseni.aws.Imds;
import io.multuseni.aws.SdkEc2;
import io.multuseni.config.Config;
import io.multuseni.config.ConfigException;
import io.multuseni.config.Network;
import io.multuseni.config.Settings;
import io.multuseni.eni.EniReconciler;
import io.multuseni.kube.KubeClients;
import io.multuseni.labels.LabelLoop;
import io.multuseni.metrics.CountingEc2;
import io.multuseni.metrics.Metrics;
import io.multuseni.net.SysfsLinks;
import io.multuseni.node.NetworkContext;
import io.multuseni.node.NodeContext;
import io.multuseni.node.Sleeper;
import io.multuseni.node.Wakeups;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production wiring: the SDK's EC2 and IMDS clients, sysfs and iproute2, under one reconciler.
 * Endpoints follow the SDK's standard variables, so the same jar runs on a node and against the stand-in.
 */
public final class Session implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    public final NodeContext node;
    /** One per network, the default network's first. */
    public final List<EniReconciler> reconcilers;
    /** The Node label keeper; empty with --no-kube. */
    public final Optional<LabelLoop> labels;
    final Imds imds;
    /** Closes the EC2 client. */
    private final Runnable closeClients;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** What this process has done, for --metrics-file. */
    final Metrics metrics;

    /** The parts, wired; tests wire fakes of the edges the same way. */
    Session(Imds imds, Runnable closeClients, NodeContext node, List<EniReconciler> reconcilers,
            Optional<LabelLoop> labels, Metrics metrics) {
        this.metrics = metrics;
        this.imds = imds;
        this.closeClients = closeClients;
        this.node = node;
        this.reconcilers = List.copyOf(reconcilers);
        this.labels = labels;
    }

    /** @param wakeups what the label loop tells of releases in the zone (the daemon's loop waits on it) */
    public static Session open(Config config, Map<String, String> env, Wakeups wakeups) {
        HttpImds imds = imds(env);
        SdkEc2.Warm warm = SdkEc2.warmUp(); // the EC2 client's start-up, while IMDS answers
        SdkEc2 ec2 = null;
        try {
            Imds.Identity identity = imds.identity();
            String region = region(identity, env);
            log.info("instance {} in {} ({}), EC2 endpoint {}", identity.instanceId(), identity.zone(), region,
                    Optional.ofNullable(ec2Endpoint(env)).map(Object::toString).orElse("default"));
            ec2 = warm.create(region, ec2Endpoint(env), config.get(Settings.DRY_RUN));
            Metrics metrics = new Metrics(Clock.systemUTC());
            Ec2 counted = new CountingEc2(ec2, metrics);
            NodeContext node = NodeContext.resolve(config, imds, identity, counted);
            SecureRandom random = new SecureRandom();
            SysfsLinks links = SysfsLinks.host();
            List<EniReconciler> reconcilers = new ArrayList<>();
            for (Network network : config.networks()) {
                NetworkContext net = node.of(network);
                log.info("{}selecting ENIs tagged {} (interface {}, instance tag {}={})",
                        network.isDefault() ? "" : "network " + network.id() + ": ", net.selector(),
                        network.interfaceName(), net.instanceTagKey(), net.instanceTagValue());
                reconcilers.add(EniReconciler.of(counted, imds, links, config, node, network, Clock.systemUTC(),
                        Sleeper.REAL, random));
            }
            Optional<LabelLoop> labels = Optional.empty();
            if (config.kube().enabled()) {
                // Connected lazily, after READY: the kubeconfig may not exist yet at boot.
                labels = Optional.of(LabelLoop.over(() -> KubeClients.nodes(config.kube(), node.cluster().orElse(""),
                        region, config.get(Settings.DRY_RUN)), () -> KubeClients.source(config.kube()), config, node, reconcilers,
                        wakeups, Clock.systemUTC(), random));
            }
            SdkEc2 opened = ec2;
            return new Session(imds, opened::close, node, reconcilers, labels, metrics);
        } catch (RuntimeException e) {
            if (ec2 != null) {
                ec2.close();
            }
            throw e;
        }
    }

    public static HttpImds imds(Map<String, String> env) {
        return HttpImds.create(uri(env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT")));
    }

    /** The region from IMDS, unless AWS_REGION says otherwise. */
    public static String region(Imds.Identity identity, Map<String, String> env) {
        String region = env.getOrDefault("AWS_REGION", identity.region());
        if (region == null || region.isBlank()) {
            throw new ConfigException(env.containsKey("AWS_REGION") ? "AWS_REGION is set but empty: unset it (the"
                    + " region then comes from IMDS) or set it to the instance's region"
                    : "IMDS placement/region is empty: set AWS_REGION to the instance's region");
        }
        return region.trim();
    }

    /** AWS_ENDPOINT_URL_EC2, else AWS_ENDPOINT_URL, else null (the region's endpoint). */
    public static URI ec2Endpoint(Map<String, String> env) {
        return uri(env.getOrDefault("AWS_ENDPOINT_URL_EC2", env.get("AWS_ENDPOINT_URL")));
    }

    private static URI uri(String value) {
        return value == null || value.isBlank() ? null : URI.create(value.trim());
    }

    /** Whom the agent tells what happened: the metrics, and the Node's Events where there is Kubernetes. */
    NodeEvents events() {
        List<NodeEvents> observers = new ArrayList<>(List.of(metrics));
        labels.ifPresent(l -> observers.add(new KubernetesEvents(l.events())));
        return NodeEvents.all(observers);
    }

    /** Idempotent: a session replaced on reload is closed there and again by its command. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        labels.ifPresent(LabelLoop::close);
        closeClients.run();
    }
}
