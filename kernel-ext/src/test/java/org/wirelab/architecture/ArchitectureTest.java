package org.wirelab.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Packages by wire concept, arrows one way: wire primitives at the bottom, display and lifecycle
 * beside them, then the models, then the views, then the experiments that draw what they ran,
 * then the kernel and the command line.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.wirelab");

    @Test
    void noPackageCycles() {
        slices().matching("org.wirelab.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void viewsDependOnModelsAndNeverTheReverse() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("wire").definedBy("org.wirelab.wire..")
                .layer("infrastructure").definedBy("org.wirelab.display..", "org.wirelab.lifecycle..")
                .layer("models").definedBy("org.wirelab.dissect..", "org.wirelab.pcap..", "org.wirelab.tap..",
                        "org.wirelab.http..", "org.wirelab.http2..", "org.wirelab.ws..", "org.wirelab.udp..", "org.wirelab.tcp..",
                        "org.wirelab.netstat..")
                .layer("views").definedBy("org.wirelab.hex..", "org.wirelab.diagram..")
                // Experiments run peers and draw what they saw: above the models and the views.
                .layer("experiments").definedBy("org.wirelab.netns..")
                .layer("top").definedBy("org.wirelab.kernel..", "org.wirelab.cli..")
                .whereLayer("top").mayNotBeAccessedByAnyLayer()
                .whereLayer("experiments").mayOnlyBeAccessedByLayers("top")
                .whereLayer("views").mayOnlyBeAccessedByLayers("experiments", "top")
                .whereLayer("models").mayOnlyBeAccessedByLayers("views", "experiments", "top")
                .whereLayer("infrastructure").mayOnlyBeAccessedByLayers("models", "views", "experiments", "top")
                .whereLayer("wire").mayOnlyBeAccessedByLayers("infrastructure", "models", "views", "experiments", "top")
                .check(MAIN);
    }
}
