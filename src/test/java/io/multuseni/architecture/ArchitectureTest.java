package io.multuseni.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The arrows of docs/architecture.md, pinned: a new import that breaks one fails here, naming the class.
 * Every arrow points down the table in {@link #eachPackageUsesOnlyThePackagesBelowIt()}.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.multuseni");

    private static final List<String> ABOVE_THE_EDGES =
            List.of("cli", "daemon", "metrics", "doctor", "cluster", "agent", "labels", "eni", "node");
    private static final List<String> EDGES = List.of("aws", "kube", "net", "systemd");
    private static final List<String> HELPERS = List.of("config", "errors", "fs", "json");

    @Test
    void noPackageCycles() {
        slices().matching("io.multuseni.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /**
     * Top to bottom: the commands, the process, the observers and read-only tools, the node's loop, the
     * Kubernetes thread, the per-network machine, the shared model, the edges, the pure helpers.
     */
    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("io.multuseni.cli..")
                .layer("daemon").definedBy("io.multuseni.daemon..")
                .layer("metrics").definedBy("io.multuseni.metrics..")
                .layer("doctor").definedBy("io.multuseni.doctor..")
                .layer("cluster").definedBy("io.multuseni.cluster..")
                .layer("agent").definedBy("io.multuseni.agent..")
                .layer("labels").definedBy("io.multuseni.labels..")
                .layer("eni").definedBy("io.multuseni.eni..")
                .layer("node").definedBy("io.multuseni.node..")
                .layer("aws").definedBy("io.multuseni.aws..")
                .layer("kube").definedBy("io.multuseni.kube..")
                .layer("net").definedBy("io.multuseni.net..")
                .layer("systemd").definedBy("io.multuseni.systemd..")
                .layer("config").definedBy("io.multuseni.config..")
                .layer("errors").definedBy("io.multuseni.errors..")
                .layer("fs").definedBy("io.multuseni.fs..")
                .layer("json").definedBy("io.multuseni.json..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("daemon").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("metrics").mayOnlyBeAccessedByLayers("cli", "daemon")
                .whereLayer("doctor").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("cluster").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("agent").mayOnlyBeAccessedByLayers("cli", "daemon", "metrics")
                .whereLayer("labels").mayOnlyBeAccessedByLayers("cli", "daemon", "agent")
                .whereLayer("eni").mayOnlyBeAccessedByLayers("cli", "daemon", "agent", "labels")
                .whereLayer("node").mayOnlyBeAccessedByLayers("cli", "daemon", "metrics", "doctor", "agent", "labels",
                        "eni")
                .check(MAIN);
    }

    /** The edges act and know nothing of who decides, nor of each other. */
    @Test
    void theEdgesUseOnlyTheHelpers() {
        for (String edge : EDGES) {
            noClasses().that().resideInAPackage("io.multuseni." + edge + "..").should().dependOnClassesThat()
                    .resideInAnyPackage(allBut(edge, ABOVE_THE_EDGES, EDGES)).check(MAIN);
        }
    }

    /** Validation is pure: the config package uses none of ours. */
    @Test
    void configDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.multuseni.config..").should().dependOnClassesThat()
                .resideInAnyPackage(allBut("config", ABOVE_THE_EDGES, EDGES, HELPERS)).check(MAIN);
    }

    @Test
    void onlyTheEc2AndKubernetesEdgesUseTheAwsSdk() {
        noClasses().that().resideOutsideOfPackages("io.multuseni.aws..", "io.multuseni.kube..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon..").check(MAIN);
    }

    @Test
    void onlyTheKubernetesEdgeUsesFabric8() {
        noClasses().that().resideOutsideOfPackage("io.multuseni.kube..")
                .should().dependOnClassesThat().resideInAPackage("io.fabric8..").check(MAIN);
    }

    @Test
    void onlyTheSystemdEdgeUsesJnr() {
        noClasses().that().resideOutsideOfPackage("io.multuseni.systemd..")
                .should().dependOnClassesThat().resideInAPackage("jnr..").check(MAIN);
    }

    /** The packages of these groups but {@code own}, as ArchUnit names them. */
    @SafeVarargs
    private static String[] allBut(String own, List<String>... groups) {
        return Stream.of(groups).flatMap(List::stream).filter(p -> !p.equals(own))
                .map(p -> "io.multuseni." + p + "..").toArray(String[]::new);
    }
}
