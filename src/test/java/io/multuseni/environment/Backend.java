package io.multuseni.environment;

import io.multuseni.standin.MockApiServer;
import io.multuseni.standin.StandIn;
import java.util.EnumSet;
import java.util.function.Supplier;

/**
 * The backends every integration scenario runs against, one run of the scenario class each:
 * <ul>
 * <li>{@link #STAND_IN}: our stand-ins, strict about EC2's rules and timing; runs everywhere.</li>
 * <li>{@link #APIS_OF_STAND_IN}: the same stand-ins reached only through their APIs, as the Docker
 * tier reaches LocalStack and k3s; proves that plumbing (scene set through EC2's API, IMDS answered
 * from EC2's reports, interfaces plugged by polling) on machines without Docker.</li>
 * <li>{@link #LOCALSTACK_AND_K3S}: LocalStack for EC2 and a real k3s API server through Testcontainers;
 * its runs are skipped where no Docker engine answers ({@link DockerTier}).</li>
 * </ul>
 */
public enum Backend {
    STAND_IN(StandInEnvironment::new),
    APIS_OF_STAND_IN(Backend::apisOfStandIn),
    LOCALSTACK_AND_K3S(DockerBackends::environment);

    private final Supplier<Environment> factory;

    Backend(Supplier<Environment> factory) {
        this.factory = factory;
    }

    public Environment newEnvironment() {
        return factory.get();
    }

    /** The stand-ins as black boxes: the stand-in's rules hold, but only its APIs are used. */
    private static Environment apisOfStandIn() {
        StandIn standIn = new StandIn("eu-west-2");
        MockApiServer api = new MockApiServer(0, change -> {});
        ApiEnvironment env = new ApiEnvironment("stand-in through its APIs", EnumSet.of(Environment.Feature.EC2_RULES),
                standIn.ec2.endpoint(), "eu-west-2", ApiServer.of(() -> api, api.port()));
        env.closeAfter(standIn);
        env.closeAfter(api);
        return env;
    }
}
