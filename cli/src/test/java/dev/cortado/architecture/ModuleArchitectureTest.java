package dev.cortado.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The modules' architecture, seen from the command line, whose class path holds every module: the backends do not
 * know each other, nothing but the command line uses the command line, and neither the modules nor the packages
 * across them form a cycle. (Maven already refuses cycles between the modules' poms; these rules look at the
 * classes.) The runtime's own rules are in the runtime's RuntimeArchitectureTest.
 */
class ModuleArchitectureTest {
    /** The main classes of every module: no test classes, no test-jars. */
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ModuleArchitectureTest::isMainCode)
            .importPackages("dev.cortado");

    /** The module of each top-level package of dev.cortado (the runtime's are the rest). */
    private static final Map<String, String> MODULES = Map.of(
            "cpu", "cortado-cpu",
            "kernel", "cortado-backend-kernels",
            "opencl", "cortado-backend-opencl",
            "cuda", "cortado-backend-cuda",
            "cli", "cortado-cli");

    static boolean isMainCode(Location location) {
        return ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
                && !location.contains("-tests.jar") && !location.contains("/test-classes/");
    }

    static String moduleOf(JavaClass c) {
        String rest = c.getPackageName().equals("dev.cortado") ? ""
                : c.getPackageName().substring("dev.cortado.".length());
        int dot = rest.indexOf('.');
        return MODULES.getOrDefault(dot < 0 ? rest : rest.substring(0, dot), "cortado-runtime");
    }

    @Test
    void everyModuleIsOnTheClassPath() {
        Set<String> found = new TreeSet<>();
        MAIN.forEach(c -> found.add(moduleOf(c)));
        assertEquals(new TreeSet<>(Set.of("cortado-runtime", "cortado-cpu", "cortado-backend-kernels",
                "cortado-backend-opencl", "cortado-backend-cuda", "cortado-cli")), found);
    }

    @Test
    void backendsDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("dev.cortado.cpu..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cortado.kernel..", "dev.cortado.opencl..",
                        "dev.cortado.cuda..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.cortado.kernel..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cortado.cpu..", "dev.cortado.opencl..",
                        "dev.cortado.cuda..", "org.jocl..", "jcuda..")
                .because("the shared kernel backend is written once over KernelDevice, for every device API")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.cortado.opencl..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cortado.cpu..", "dev.cortado.cuda..", "jcuda..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.cortado.cuda..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cortado.cpu..", "dev.cortado.opencl..",
                        "org.jocl..")
                .check(MAIN);
    }

    @Test
    void onlyTheCommandLineUsesTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("dev.cortado.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.cortado.cli..")
                .check(MAIN);
    }

    @Test
    void modulesHaveNoCycles() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                return javaClass.getPackageName().startsWith("dev.cortado.")
                        ? SliceIdentifier.of(moduleOf(javaClass)) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "Cortado's modules";
            }
        }).should().beFreeOfCycles().check(MAIN);
    }

    /**
     * No package cycles across the class path. The runtime's backend, tensor and device packages define the op
     * contract together and depend on each other by design: they count as one slice. One known cycle is tolerated
     * until the CPU backend's packages are rearranged: {@code dev.cortado.cpu} calls {@code cpu.gemm.Sgemm}, and
     * {@code cpu.gemm} uses {@code cpu.Parallel} (its thread pool) and {@code cpu.VectorModule}; any other
     * dependency of {@code cpu.gemm} on {@code cpu} still fails.
     */
    @Test
    void packagesHaveNoCycles() {
        slices().assignedFrom(new PackageSlices("every package of every module (backend, tensor and device as one)"))
                .should().beFreeOfCycles()
                .ignoreDependency(resideInAPackage("dev.cortado.cpu.gemm"), DescribedPredicate.describe(
                        "the CPU backend's thread pool and Vector API switch",
                        (JavaClass c) -> c.getName().startsWith("dev.cortado.cpu.Parallel")
                                || c.getName().equals("dev.cortado.cpu.VectorModule")))
                .check(MAIN);
    }
}
