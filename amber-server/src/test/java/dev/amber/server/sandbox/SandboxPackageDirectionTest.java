package dev.amber.server.sandbox;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Templates build on snapshots, snapshots on sandboxes: the arrows go template -> snapshot -> sandbox,
 * never back (sandboxes see snapshots only as {@link RestorePoint}s, and find sources through
 * {@link SourceResolver}).
 */
class SandboxPackageDirectionTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.amber.server");

    @Test
    void sandboxesDoNotDependOnSnapshotsOrTemplates() {
        noClasses().that().resideInAPackage("dev.amber.server.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.amber.server.snapshot..",
                        "dev.amber.server.template..")
                .check(SERVER);
    }

    @Test
    void snapshotsDoNotDependOnTemplates() {
        noClasses().that().resideInAPackage("dev.amber.server.snapshot..")
                .should().dependOnClassesThat().resideInAPackage("dev.amber.server.template..")
                .check(SERVER);
    }
}
