package dev.cortado.testing;

import static dev.cortado.testing.Tolerance.EXACT;

import dev.cortado.backend.PoolSpec;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Max and average pooling, forward and backward. */
public interface PoolingConformance extends BackendTestContext {

    /**
     * (batch, channels, height, width, kernel, stride, padding): windows that tile, overlap (stride below kernel),
     * skip inputs (stride above kernel), hang over odd edges, and reach into padding.
     */
    List<int[]> GEOMETRIES = List.of(
            new int[] {1, 1, 1, 1, 1, 1, 0}, new int[] {2, 3, 8, 8, 2, 2, 0}, new int[] {1, 2, 7, 9, 3, 2, 1},
            new int[] {2, 1, 13, 11, 3, 1, 1}, new int[] {1, 3, 5, 5, 5, 5, 2}, new int[] {3, 2, 17, 31, 4, 3, 2},
            new int[] {1, 2, 9, 10, 3, 3, 0}, new int[] {2, 4, 28, 28, 2, 2, 0}, new int[] {1, 1, 6, 7, 2, 3, 1});

    static Stream<PoolSpec> specs() {
        return Arrays.stream(PoolSpec.Kind.values()).flatMap(kind -> GEOMETRIES.stream().map(
                g -> new PoolSpec(kind, g[0], g[1], g[2], g[3], g[4], g[5], g[6])));
    }

    static Stream<PoolSpec> maxSpecs() {
        return specs().filter(s -> s.kind() == PoolSpec.Kind.MAX);
    }

    private Tensor input(PoolSpec s, float[] x) {
        return tensor(x, s.batch(), s.channels(), s.height(), s.width());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    default void poolForwardMatchesReference(PoolSpec s) {
        float[] x = values(Math.toIntExact(s.inputSize()));
        Tensor y = poisoned(s.batch(), s.channels(), s.outHeight(), s.outWidth());
        backend().poolForward(s, input(s, x), y);
        Tolerance tolerance = s.kind() == PoolSpec.Kind.MAX ? EXACT : Tolerance.accumulating(s.kernel() * s.kernel());
        assertClose("pool forward " + s, ReferenceOps.poolForward(s, x), y, tolerance);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    default void poolBackwardMatchesReference(PoolSpec s) {
        checkBackward(s, values(Math.toIntExact(s.inputSize())));
    }

    /** Inputs drawn from three values, so windows hold several equal maxima and only the first may get dy. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("maxSpecs")
    default void maxPoolBackwardSendsTheGradientToTheFirstMaximum(PoolSpec s) {
        float[] levels = {-0.5f, 0.25f, 0.5f};
        float[] x = new float[Math.toIntExact(s.inputSize())];
        for (int i = 0; i < x.length; i++) {
            x[i] = levels[random().nextInt(levels.length)];
        }
        checkBackward(s, x);
    }

    private void checkBackward(PoolSpec s, float[] x) {
        float[] dy = values(Math.toIntExact(s.outputSize()));
        Tensor dx = poisoned(s.batch(), s.channels(), s.height(), s.width());
        backend().poolBackward(s, input(s, x), tensor(dy, s.batch(), s.channels(), s.outHeight(), s.outWidth()),
                dx);
        assertClose("pool backward " + s, ReferenceOps.poolBackward(s, x, dy), dx,
                Tolerance.accumulating(s.kernel() * s.kernel()));
    }

    @Test
    default void poolingRejectsBadSizes() {
        PoolSpec s = new PoolSpec(PoolSpec.Kind.MAX, 2, 3, 8, 8, 2, 2, 0);
        Tensor x = tensor(values(384));
        Tensor dy = tensor(values(96));
        assertRejects("forward into 95 floats for 96 outputs", () -> backend().poolForward(s, x, poisoned(95)));
        assertRejects("forward from 383 floats for 384 inputs",
                () -> backend().poolForward(s, tensor(values(383)), poisoned(96)));
        assertRejects("backward into 383 floats for 384 inputs",
                () -> backend().poolBackward(s, x, dy, poisoned(383)));
        assertRejects("backward from 97 gradients for 96 outputs",
                () -> backend().poolBackward(s, x, tensor(values(97)), poisoned(384)));
    }
}
