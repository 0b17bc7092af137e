package dev.amber.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The server's packages depend on each other one way only, so each can be read (and changed)
 * knowing only what is below it. The root package, which wires the application, is outside the rules.
 */
class PackageCyclesTest {

    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.amber.server");

    @Test
    void serverPackagesAreFreeOfCycles() {
        slices().matching("dev.amber.server.(*)..").should().beFreeOfCycles().check(MAIN_CLASSES);
    }

    /**
     * Routes live in their domain packages and use the shared HTTP plumbing; the plumbing knows the
     * caller's identity and the host link's failures (to map them to statuses in one place), no domain.
     */
    @Test
    void httpPlumbingDependsOnNoDomainPackage() {
        classes().that().resideInAPackage("dev.amber.server.http..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.amber.server..")
                        .or(resideInAnyPackage("dev.amber.server.http..", "dev.amber.server.auth..",
                                "dev.amber.server.host..")))
                .check(MAIN_CLASSES);
    }
}
