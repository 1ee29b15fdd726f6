package dev.cortado.testing;

import static dev.cortado.testing.Tolerance.ELEMENTWISE;
import static dev.cortado.testing.Tolerance.EXACT;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cortado.backend.DropoutSpec;
import dev.cortado.random.Philox;
import dev.cortado.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Dropout whose mask is exactly the one {@link DropoutSpec} defines, so every device drops the same elements. */
public interface DropoutConformance extends BackendTestContext {

    static Stream<Arguments> dropoutCases() {
        return ConformanceCases.withElementwiseSizes(0f, 0.1f, 0.5f, 0.9f);
    }

    /** A spec with a random seed and stream, whose high words are set too. */
    private DropoutSpec spec(float p) {
        return new DropoutSpec(p, random().nextLong(), random().nextLong());
    }

    @ParameterizedTest(name = "p={0} n={1}")
    @MethodSource("dropoutCases")
    default void dropoutForwardKeepsExactlyThePhiloxMask(float p, int n) {
        DropoutSpec spec = spec(p);
        float[] x = values(n);
        Tensor y = poisoned(n);
        backend().dropoutForward(spec, tensor(x), y);
        checkDropout("dropout forward", spec, x, read(y));
    }

    @ParameterizedTest(name = "p={0} n={1}")
    @MethodSource("dropoutCases")
    default void dropoutBackwardUsesTheForwardMask(float p, int n) {
        DropoutSpec spec = spec(p);
        float[] dy = values(n);
        Tensor dx = poisoned(n);
        backend().dropoutBackward(spec, tensor(dy), dx);
        checkDropout("dropout backward", spec, dy, read(dx));
    }

    /** Checks the mask element by element (inputs are never 0), then the scaled values; p = 0 must copy exactly. */
    private void checkDropout(String what, DropoutSpec spec, float[] in, float[] out) {
        for (int i = 0; i < in.length; i++) {
            boolean kept = out[i] != 0f;
            if (kept != ReferenceOps.keeps(spec, i)) {
                fail(what + " " + spec + ": element " + i + " was " + (kept ? "kept" : "dropped") + " but "
                        + "Philox.uniform(seed, stream, " + i + ") = " + Philox.uniform(spec.seed(), spec.stream(), i)
                        + (kept ? " < p" : " >= p") + " (output " + out[i] + ")");
            }
        }
        assertClose(what + " " + spec, ReferenceOps.dropout(spec, in), out, spec.p() == 0f ? EXACT : ELEMENTWISE);
    }

    @Test
    default void dropoutRejectsBadSizes() {
        DropoutSpec spec = spec(0.5f);
        Tensor ten = tensor(values(10));
        assertRejects("forward from 10 floats into 11", () -> backend().dropoutForward(spec, ten, poisoned(11)));
        assertRejects("backward from 10 floats into 9", () -> backend().dropoutBackward(spec, ten, poisoned(9)));
    }
}
