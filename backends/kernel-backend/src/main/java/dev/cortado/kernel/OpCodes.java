package dev.cortado.kernel;

import dev.cortado.backend.Activation;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.UnaryOp;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The op codes the kernels switch on, as C definitions made from the Java enums: {@code #define UNARY_EXP 3}
 * for {@link UnaryOp#EXP}, whose ordinal the backend passes. {@link KernelSources} puts them ahead of every
 * kernel file, so a new enum constant reaches the kernels without a hand-kept number.
 */
final class OpCodes {
    /** The definitions, one line each. */
    static final String DEFINES = Stream.of(
                    defines("UNARY_", UnaryOp.values()),
                    defines("BINARY_", BinaryOp.values()),
                    defines("ACT_", Activation.values()))
            .flatMap(s -> s)
            .collect(Collectors.joining("\n", "", "\n"));

    private OpCodes() {
    }

    private static Stream<String> defines(String prefix, Enum<?>[] constants) {
        return Stream.of(constants).map(c -> "#define " + prefix + c.name() + " " + c.ordinal());
    }
}
