package dev.cortado.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.cortado.backend.Backend;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Every op of {@link Backend} (its public final methods, less {@code close} and {@code isClosed}) is exercised by
 * the conformance suite in the runtime's test-jar ({@code dev.cortado.testing.*Conformance}); every op that
 * reaches the device (one whose own body calls a {@code do...} method, rather than only other ops) has a bad call
 * in its argument checks ({@code ArgumentConformance}) and a row in {@code cortado selftest}
 * ({@code dev.cortado.cli.SelfTest}).
 *
 * <p>The calls are read from the byte code, lambdas included: an op counts as exercised when a root class calls
 * it, directly or through helper methods of the same package (and {@code Tensor}'s, which download).
 */
class BackendOpCoverageTest {
    private static final String TESTING = "dev.cortado.testing";
    private static final String SELF_TEST = "dev.cortado.cli.SelfTest";
    private static final Set<String> LIFECYCLE = Set.of("close", "isClosed");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .importPackages("dev.cortado.backend", "dev.cortado.tensor", TESTING, "dev.cortado.cli");

    /** The names of Backend's ops (overloads share one). */
    static Set<String> ops() {
        Set<String> names = new TreeSet<>();
        for (JavaMethod m : opMethods()) {
            names.add(m.getName());
        }
        assertTrue(names.size() > 20, "ops: " + names);
        return names;
    }

    private static List<JavaMethod> opMethods() {
        return backend().getMethods().stream()
                .filter(m -> m.getModifiers().containsAll(Set.of(JavaModifier.PUBLIC, JavaModifier.FINAL)))
                .filter(m -> !LIFECYCLE.contains(m.getName()))
                .toList();
    }

    /** The ops whose own body calls one of Backend's {@code do...} methods: they run code on the device. */
    static Set<String> deviceOps() {
        Set<String> names = new TreeSet<>();
        for (JavaMethod m : opMethods()) {
            boolean callsDo = m.getMethodCallsFromSelf().stream()
                    .anyMatch(call -> call.getTargetOwner().equals(backend()) && call.getName().startsWith("do"));
            if (callsDo) {
                names.add(m.getName());
            }
        }
        return names;
    }

    @Test
    void everyOpIsExercisedByTheConformanceSuite() {
        Set<String> called = opsCalledFrom(c -> c.getPackageName().equals(TESTING)
                && topLevel(c).getSimpleName().endsWith("Conformance")
                && !topLevel(c).getSimpleName().equals("ArgumentConformance"), TESTING);
        assertEquals(Set.of(), missing(ops(), called),
                "ops no conformance test calls (add a test in the dev.cortado.testing interface of its group)");
    }

    @Test
    void everyDeviceOpHasACaseInTheArgumentChecks() {
        Set<String> called = opsCalledFrom(c -> topLevel(c).getName().equals(TESTING + ".ArgumentConformance"),
                TESTING);
        assertEquals(Set.of(), missing(deviceOps(), called),
                "device ops without a bad call in ArgumentConformance (each checks its arguments in Backend)");
    }

    @Test
    void everyDeviceOpHasASelftestRow() {
        Set<String> deviceOps = deviceOps();
        assertTrue(deviceOps.size() > 20, "device ops: " + deviceOps);
        Set<String> called = opsCalledFrom(c -> topLevel(c).getName().equals(SELF_TEST), "dev.cortado.cli");
        assertEquals(Set.of(), missing(deviceOps, called), "device ops without a row in cortado selftest");
    }

    private static JavaClass backend() {
        return CLASSES.get(Backend.class);
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }

    private static Set<String> missing(Set<String> expected, Set<String> found) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(found);
        return missing;
    }

    /**
     * The ops that the code units of the root classes call, directly or through methods of classes in
     * {@code helperPackage} or of {@code Tensor}.
     */
    private static Set<String> opsCalledFrom(Predicate<JavaClass> root, String helperPackage) {
        Set<String> ops = ops();
        Deque<JavaCodeUnit> work = new ArrayDeque<>();
        CLASSES.stream().filter(root).forEach(c -> work.addAll(c.getCodeUnits()));
        assertTrue(!work.isEmpty(), "no root classes found: is " + helperPackage + " on the class path?");
        Set<JavaCodeUnit> seen = new HashSet<>(work);
        Set<String> called = new TreeSet<>();
        while (!work.isEmpty()) {
            JavaCodeUnit unit = work.pop();
            Collection<? extends JavaAccess<?>> calls = unit.getCallsFromSelf();
            for (JavaAccess<?> call : calls) {
                JavaClass owner = call.getTargetOwner();
                if (owner.isAssignableTo(Backend.class) && ops.contains(call.getName())) {
                    called.add(call.getName());
                }
                boolean helper = owner.getPackageName().equals(helperPackage)
                        || owner.getName().equals("dev.cortado.tensor.Tensor");
                if (helper && !owner.isAssignableTo(Backend.class)) {
                    for (JavaCodeUnit target : owner.getCodeUnits()) {
                        if (target.getName().equals(call.getName()) && seen.add(target)) {
                            work.push(target);
                        }
                    }
                }
            }
        }
        return called;
    }
}
