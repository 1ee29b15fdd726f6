package dev.cortado.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.cortado.backend.Backend;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The runtime's architecture as tests: it names no backend, the layers, losses and optimizers reach devices only
 * through {@link Backend}'s ops, and its packages form no cycle apart from the core that defines the op contract.
 */
class RuntimeArchitectureTest {
    /** The runtime's main classes: this module's class path holds no backend, so these are all there is. */
    private static final JavaClasses RUNTIME = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cortado");

    /**
     * The packages of the op contract. {@code Backend} takes and returns {@code Tensor}s and says which
     * {@code Device} it runs on; a {@code Tensor} knows its {@code Backend}; a {@code BackendProvider} opens a
     * {@code Backend}: the three depend on each other by design and count as one slice.
     */

    @Test
    void theRuntimeImportsNoBackend() {
        assertTrue(RUNTIME.size() > 50, "only " + RUNTIME.size() + " runtime classes imported");
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.cortado.cpu..", "dev.cortado.opencl..",
                        "dev.cortado.cuda..", "dev.cortado.kernel..", "org.jocl..", "jcuda..", "org.jcuda..")
                .because("backends are found with ServiceLoader; the runtime never names one")
                .check(RUNTIME);
    }

    @Test
    void layersLossesAndOptimizersUseOnlyTheBackendOps() {
        Class<?>[] contract = opContract().toArray(Class<?>[]::new);
        noClasses().that().resideInAnyPackage("dev.cortado.nn..", "dev.cortado.optim..")
                .should().dependOnClassesThat(resideInAPackage("dev.cortado.backend").and(not(belongToAnyOf(
                        contract))).as("are in dev.cortado.backend but are neither Backend nor a value "
                        + "type of its ops"))
                .orShould().dependOnClassesThat(assignableTo(Backend.class).and(not(equivalentTo(Backend.class)))
                        .as("are concrete backends"))
                .because("a layer written against Backend's ops runs on every device")
                .check(RUNTIME);
    }

    @Test
    void theCoreDoesNotReachUp() {
        noClasses().that().resideInAnyPackage(PackageSlices.CORE.toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage("dev.cortado.nn..", "dev.cortado.optim..",
                        "dev.cortado.train..", "dev.cortado.model..", "dev.cortado.data..", "dev.cortado.io..")
                .because("tensors, devices and backends are the layer everything else is built on")
                .check(RUNTIME);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().assignedFrom(new PackageSlices("the runtime's packages (backend, tensor and device as one)"))
                .should().beFreeOfCycles().check(RUNTIME);
    }

    /**
     * {@link Backend} and the types of its ops' parameters (the public final methods) in its package; their nested
     * types ({@code PoolSpec.Kind}) belong to them.
     */
    private static Set<Class<?>> opContract() {
        Set<Class<?>> types = new LinkedHashSet<>();
        types.add(Backend.class);
        for (Method m : Backend.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && Modifier.isFinal(m.getModifiers())) {
                for (Class<?> p : m.getParameterTypes()) {
                    if (p.getPackageName().equals(Backend.class.getPackageName())) {
                        types.add(p);
                    }
                }
            }
        }
        assertTrue(types.size() > 5, "op value types: " + types);
        return types;
    }
}
