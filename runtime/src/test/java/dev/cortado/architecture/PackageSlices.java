package dev.cortado.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;

/**
 * The slices the architecture tests check for cycles: one per package under {@code dev.cortado}, except the core
 * that defines the op contract (backend, tensor and device refer to each other by design), which is one slice.
 * The runtime's test checks its own packages; the command line's, every module's.
 */
public final class PackageSlices implements SliceAssignment {
    /** The packages that form the op contract together. */
    public static final Set<String> CORE = Set.of("dev.cortado.backend", "dev.cortado.tensor", "dev.cortado.device");

    private final String description;

    /** @param description what the classes checked are, for ArchUnit's report */
    public PackageSlices(String description) {
        this.description = description;
    }

    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        String pkg = javaClass.getPackageName();
        if (!pkg.startsWith("dev.cortado.")) {
            return SliceIdentifier.ignore();
        }
        return SliceIdentifier.of(CORE.contains(pkg) ? "backend+tensor+device" : pkg);
    }

    @Override
    public String getDescription() {
        return description;
    }
}
