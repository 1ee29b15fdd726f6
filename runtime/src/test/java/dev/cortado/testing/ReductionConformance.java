package dev.cortado.testing;

import static dev.cortado.testing.Tolerance.EXACT;

import dev.cortado.tensor.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** sum over the middle axis and row-wise argmax. */
public interface ReductionConformance extends BackendTestContext {

    /** (outer, length, inner) with (alpha, beta): plain sums, and scaled ones added to the old output. */
    static Stream<Arguments> sumCases() {
        List<int[]> layouts = List.of(
                new int[] {1, 1, 1}, new int[] {1, 1009, 1}, new int[] {1, 7, 13}, new int[] {13, 97, 1},
                new int[] {7, 31, 257}, new int[] {3, 4099, 5}, new int[] {257, 1, 3}, new int[] {2, 65_537, 1},
                new int[] {1, 64, 130});
        List<float[]> coefficients = List.of(new float[] {1f, 0f}, new float[] {0.5f, -2f}, new float[] {-1f, 1f});
        return ConformanceCases.product(layouts, coefficients);
    }

    /** (rows, cols). */
    static Stream<Arguments> argmaxCases() {
        return Stream.of(
                Arguments.of(1, 1), Arguments.of(7, 1), Arguments.of(1, 1009), Arguments.of(13, 10),
                Arguments.of(257, 10), Arguments.of(31, 97), Arguments.of(1009, 3), Arguments.of(5, 4099));
    }

    @ParameterizedTest(name = "outer={0} length={1} inner={2} alpha={3} beta={4}")
    @MethodSource("sumCases")
    default void sumReducesTheMiddleAxis(int outer, int length, int inner, float alpha, float beta) {
        float[] x = values(outer * length * inner);
        float[] old = values(outer * inner);
        Tensor out = beta == 0f ? poisoned(outer, inner) : tensor(old, outer, inner);
        backend().sum(tensor(x, outer, length, inner), outer, length, inner, alpha, beta, out);
        assertClose("sum over (" + outer + ", " + length + ", " + inner + ")",
                ReferenceOps.sum(x, outer, length, inner, alpha, beta, old), out, Tolerance.accumulating(length + 1));
    }

    /** Every other row repeats its maximum at a random place, so the first of two equal maxima must win. */
    @ParameterizedTest(name = "rows={0} cols={1}")
    @MethodSource("argmaxCases")
    default void argmaxFindsTheFirstMaximumOfEachRow(int rows, int cols) {
        float[] x = values(rows * cols);
        float[] firstMaxima = ReferenceOps.argmax(x, rows, cols);
        for (int r = 0; r < rows; r += 2) {
            x[r * cols + random().nextInt(cols)] = x[r * cols + (int) firstMaxima[r]];
        }
        Tensor out = poisoned(rows);
        backend().argmax(tensor(x, rows, cols), rows, cols, out);
        assertClose("argmax of " + rows + "x" + cols, ReferenceOps.argmax(x, rows, cols), out, EXACT);
    }

    @Test
    default void reductionsRejectBadSizes() {
        Tensor x = tensor(values(60));
        assertRejects("sum of 60 floats as (3, 4, 6)", () -> backend().sum(x, 3, 4, 6, 1f, 0f, poisoned(18)));
        assertRejects("sum of (3, 4, 5) into 14 floats", () -> backend().sum(x, 3, 4, 5, 1f, 0f, poisoned(14)));
        assertRejects("argmax of 60 floats as 7x9", () -> backend().argmax(x, 7, 9, poisoned(7)));
        assertRejects("argmax of 6x10 into 5 floats", () -> backend().argmax(x, 6, 10, poisoned(5)));
    }
}
