package io.multuseni.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The arrows of docs/architecture.md, pinned: a new import that breaks one fails here, naming the class. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.multuseni");

    @Test
    void noPackageCycles() {
        slices().matching("io.multuseni.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /** The core decides; what observes it (metrics), wires it (cli) or checks the node (doctor) stays out. */
    @Test
    void theReconcileCoreKnowsNoObserverNorTheProcess() {
        noClasses().that().resideInAPackage("io.multuseni.reconcile..").should().dependOnClassesThat()
                .resideInAnyPackage("io.multuseni.cli..", "io.multuseni.metrics..", "io.multuseni.doctor..",
                        "io.multuseni.cluster..", "io.multuseni.systemd..")
                .check(MAIN);
    }

    /** The edges act and know nothing of who decides. */
    @Test
    void theEdgesKnowNeitherTheCoreNorTheProcess() {
        noClasses().that().resideInAnyPackage("io.multuseni.aws..", "io.multuseni.kube..", "io.multuseni.net..",
                        "io.multuseni.systemd..", "io.multuseni.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.multuseni.reconcile..", "io.multuseni.cli..",
                        "io.multuseni.metrics..", "io.multuseni.doctor..", "io.multuseni.cluster..")
                .check(MAIN);
    }

    /** Validation is pure: the config package uses none of ours. */
    @Test
    void configDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.multuseni.config..").should().dependOnClassesThat()
                .resideInAnyPackage("io.multuseni.aws..", "io.multuseni.kube..", "io.multuseni.net..",
                        "io.multuseni.systemd..", "io.multuseni.fs..", "io.multuseni.json..")
                .check(MAIN);
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
}
