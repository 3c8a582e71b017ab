package io.multuseni.kube;

import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.multuseni.config.Config.Kube;
import io.multuseni.errors.Causes;
import io.multuseni.config.Config.KubeAuth;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Builds the Kubernetes client from the node's own identity: the kubelet kubeconfig as it is (its exec
 * plugin included), or its server and CA with an {@link EksToken} signed by the instance role.
 */
public final class KubeClients {
    /** Bounds every API call, so an unreachable API server never holds up the ENI work or shutdown for long. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private KubeClients() {}

    /** @throws KubeFailure when the kubeconfig is not there (yet) or cannot be used, saying why */
    public static Nodes nodes(Kube kube, String cluster, String region, boolean dryRun) {
        File kubeconfig = kube.kubeconfig().toFile();
        Config config;
        try {
            if (kube.auth() == KubeAuth.KUBECONFIG) {
                currentCluster(kubeconfig); // a clear error for a kubeconfig that names no API server
                config = Config.fromKubeconfig(kubeconfig);
            } else {
                config = eksTokenConfig(kube, kubeconfig, cluster, region);
            }
        } catch (KubeFailure e) {
            throw e;
        } catch (RuntimeException e) {
            // Whatever the parser throws for a half-written or garbage file (it is not all documented).
            throw new KubeFailure("cannot use kubeconfig " + kubeconfig + ": " + Causes.of(e), e);
        }
        config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
        config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
        // Our own loop retries with backoff; the client's retries would only stretch each attempt.
        config.setRequestRetryBackoffLimit(0);
        return new Fabric8Nodes(new KubernetesClientBuilder().withConfig(config).build(), dryRun);
    }

    private static Config eksTokenConfig(Kube kube, File kubeconfig, String cluster, String region) {
        Config config = Config.empty();
        Cluster fromFile = kube.apiServer().isPresent() && kube.apiCaFile().isPresent() ? null
                : currentCluster(kubeconfig);
        config.setMasterUrl(kube.apiServer().map(Object::toString).orElseGet(() -> fromFile.getServer()));
        if (kube.apiCaFile().isPresent()) {
            config.setCaCertFile(kube.apiCaFile().get().toString());
        } else if (fromFile.getCertificateAuthorityData() != null) {
            config.setCaCertData(fromFile.getCertificateAuthorityData());
        } else {
            config.setCaCertFile(fromFile.getCertificateAuthority());
        }
        config.setOauthTokenProvider(new EksToken(cluster, region,
                DefaultCredentialsProvider.builder().build(), Clock.systemUTC()));
        return config;
    }

    /** The cluster of the kubeconfig's current context, read without running its exec plugin. */
    private static Cluster currentCluster(File kubeconfig) {
        requireFile(kubeconfig);
        if (kubeconfig.length() == 0) {
            throw new KubeFailure("kubeconfig " + kubeconfig + " is empty (half written?)", null);
        }
        io.fabric8.kubernetes.api.model.Config parsed = KubeConfigUtils.parseConfig(kubeconfig);
        if (parsed == null || parsed.getContexts() == null || parsed.getClusters() == null) {
            throw new KubeFailure("kubeconfig " + kubeconfig + " has no " + (parsed == null ? "content"
                    : parsed.getContexts() == null ? "contexts" : "clusters") + " (half written?)", null);
        }
        String contextName = parsed.getCurrentContext();
        String clusterName = parsed.getContexts().stream().filter(c -> c.getName().equals(contextName))
                .map(NamedContext::getContext).map(c -> c.getCluster()).findFirst()
                .orElseThrow(() -> new KubeFailure("kubeconfig " + kubeconfig + " has no current context", null));
        return parsed.getClusters().stream().filter(c -> c.getName().equals(clusterName)).map(NamedCluster::getCluster)
                .findFirst()
                .orElseThrow(() -> new KubeFailure("kubeconfig " + kubeconfig + " has no cluster " + clusterName, null));
    }

    /**
     * What the client is built from, to notice a change: the kubeconfig's (and the CA file's) content, or
     * that it is missing.
     */
    public static Object source(Kube kube) {
        List<Object> parts = new ArrayList<>();
        for (Path p : Stream.concat(Stream.of(kube.kubeconfig()), kube.apiCaFile().stream()).toList()) {
            try {
                parts.add(Arrays.hashCode(Files.readAllBytes(p)));
            } catch (IOException | RuntimeException e) {
                parts.add("unreadable: " + e.getClass().getSimpleName());
            }
        }
        return parts;
    }

    private static void requireFile(File kubeconfig) {
        if (Files.isDirectory(kubeconfig.toPath())) {
            throw new KubeFailure("kubeconfig " + kubeconfig + " is a directory, not a file. Set --kubeconfig to"
                    + " the file kubelet uses.", null);
        }
        if (!Files.isReadable(kubeconfig.toPath())) {
            throw new KubeFailure("kubeconfig " + kubeconfig + " is not there (yet): it is written when the node"
                    + " joins (nodeadm or bootstrap.sh). Set --kubeconfig, or --kube-auth eks-token with"
                    + " --api-server and --api-ca-file.", null);
        }
    }
}
