package io.multuseni.environment;

import java.util.EnumSet;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack (EC2) and k3s (a real Kubernetes API server), started once for the whole run on first
 * use and removed by Testcontainers when the JVM ends. Every {@link ApiEnvironment} made from them
 * works in an AWS account of its own and deletes the Nodes it registered, so tests do not see each
 * other's state. The images can be changed with {@code -Dmultuseni.localstack.image=…} and
 * {@code -Dmultuseni.k3s.image=…}; {@code LOCALSTACK_AUTH_TOKEN} is passed on when set (LocalStack
 * images from 2026 on require one; the default is the last community image that does not).
 */
final class DockerBackends {
    static final String LOCALSTACK_IMAGE = System.getProperty("multuseni.localstack.image",
            "localstack/localstack:4.4");
    static final String K3S_IMAGE = System.getProperty("multuseni.k3s.image", "rancher/k3s:v1.31.4-k3s1");

    private static LocalStackContainer localstack;
    private static K3sContainer k3s;

    private DockerBackends() {}

    static synchronized Environment environment() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            // Only reached with -Pdocker: otherwise DockerTier skips first.
            throw new IllegalStateException("-Pdocker asks for the Docker tier (LocalStack + k3s), but no Docker"
                    + " engine answers (DOCKER_HOST, /var/run/docker.sock): start one, or build without -Pdocker"
                    + " to have that tier skipped");
        }
        if (localstack == null) {
            LocalStackContainer ls = new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE)
                    .asCompatibleSubstituteFor("localstack/localstack")).withServices("ec2");
            String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
            if (token != null && !token.isBlank()) {
                ls.withEnv("LOCALSTACK_AUTH_TOKEN", token);
            }
            ls.start();
            localstack = ls;
        }
        if (k3s == null) {
            K3sContainer cluster = new K3sContainer(DockerImageName.parse(K3S_IMAGE)
                    .asCompatibleSubstituteFor("rancher/k3s"));
            cluster.start();
            k3s = cluster;
        }
        return new ApiEnvironment("LocalStack + k3s", EnumSet.noneOf(Environment.Feature.class),
                localstack.getEndpoint(), "eu-west-2", ApiServer.fromKubeconfig(k3s.getKubeConfigYaml()));
    }
}
