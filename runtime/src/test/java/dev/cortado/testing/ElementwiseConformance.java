package dev.cortado.testing;

import static dev.cortado.testing.Tolerance.ELEMENTWISE;

import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.UnaryOp;
import dev.cortado.tensor.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** map, affine, zip (with broadcasting) and axpby. */
public interface ElementwiseConformance extends BackendTestContext {

    /** Size of the in-place (aliasing) cases. */
    int IN_PLACE_SIZE = 1009;

    static Stream<Arguments> unaryCases() {
        return ConformanceCases.withElementwiseSizes((Object[]) UnaryOp.values());
    }

    static Stream<Arguments> binaryCases() {
        return ConformanceCases.withElementwiseSizes((Object[]) BinaryOp.values());
    }

    /** (a's size, b's size, bInner): a bias per column, per channel of NCHW, a scalar, and odd mixtures. */
    static Stream<Arguments> broadcastCases() {
        List<int[]> layouts = List.of(
                new int[] {1, 1, 1}, new int[] {13 * 7, 7, 1}, new int[] {257 * 31, 31, 1},
                new int[] {2 * 3 * 25, 3, 25}, new int[] {3 * 7 * 13, 7, 13}, new int[] {5 * 11 * 97, 11, 97},
                new int[] {1009, 1, 1}, new int[] {1009, 1, 1009}, new int[] {4 * 5 * 784, 5, 784});
        return ConformanceCases.product(List.of(BinaryOp.values()), layouts);
    }

    static Stream<Arguments> axpbyCases() {
        return ConformanceCases.withElementwiseSizes(new float[] {1.5f, -0.5f}, new float[] {-2f, 1f},
                new float[] {0.75f, 0f});
    }

    /** Inputs inside each function's domain and away from its poles, in a range where float keeps precision. */
    private float[] inputsFor(UnaryOp op, int n) {
        return switch (op) {
            case SQRT, RSQRT, LOG -> values(n, 0.01f, 4f);
            case EXP -> values(n, -8f, 8f);
            case SQUARE, NEG, ABS, RECIPROCAL -> values(n, -2f, 2f);
        };
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("unaryCases")
    default void mapMatchesReference(UnaryOp op, int n) {
        float[] x = inputsFor(op, n);
        Tensor y = poisoned(n);
        backend().map(op, tensor(x), y);
        assertClose("map " + op, ReferenceOps.map(op, x), y, ELEMENTWISE);
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    default void mapMayWriteInPlace(UnaryOp op) {
        float[] x = inputsFor(op, IN_PLACE_SIZE);
        Tensor t = tensor(x);
        backend().map(op, t, t);
        assertClose("map " + op + " in place", ReferenceOps.map(op, x), t, ELEMENTWISE);
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("dev.cortado.testing.ConformanceCases#elementwiseSizes")
    default void affineScalesAndShifts(int n) {
        float[] x = values(n);
        Tensor y = poisoned(n);
        backend().affine(-1.75f, tensor(x), 0.5f, y);
        assertClose("affine", ReferenceOps.affine(-1.75f, x, 0.5f), y, ELEMENTWISE);

        Tensor t = tensor(x);
        backend().affine(3f, t, -0.25f, t);
        assertClose("affine in place", ReferenceOps.affine(3f, x, -0.25f), t, ELEMENTWISE);
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("binaryCases")
    default void zipMatchesReferenceElementByElement(BinaryOp op, int n) {
        checkZip(op, n, n, 1);
    }

    @ParameterizedTest(name = "{0} a={1} b={2} bInner={3}")
    @MethodSource("broadcastCases")
    default void zipBroadcastsB(BinaryOp op, int aSize, int bSize, int bInner) {
        checkZip(op, aSize, bSize, bInner);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    default void zipMayWriteIntoA(BinaryOp op) {
        int bSize = 7;
        int bInner = 3;
        float[] b = values(bSize);
        float[] a = inputsEqualInPlaces(143 * bSize * bInner, b, bInner);
        Tensor ta = tensor(a);
        backend().zip(op, ta, tensor(b), bInner, ta);
        assertClose("zip " + op + " into a", ReferenceOps.zip(op, a, b, bInner), ta, ELEMENTWISE);
    }

    private void checkZip(BinaryOp op, int aSize, int bSize, int bInner) {
        float[] b = values(bSize);
        float[] a = inputsEqualInPlaces(aSize, b, bInner);
        Tensor out = poisoned(aSize);
        backend().zip(op, tensor(a), tensor(b), bInner, out);
        assertClose("zip " + op + " with b of " + bSize + " and bInner " + bInner, ReferenceOps.zip(op, a, b, bInner),
                out, ELEMENTWISE);
    }

    /** Random a, except that every third element equals the b element it meets, so EQUAL sees both outcomes. */
    private float[] inputsEqualInPlaces(int aSize, float[] b, int bInner) {
        float[] a = values(aSize);
        for (int i = 0; i < aSize; i += 3) {
            a[i] = b[(i / bInner) % b.length];
        }
        return a;
    }

    @ParameterizedTest(name = "alpha={0} beta={1} n={2}")
    @MethodSource("axpbyCases")
    default void axpbyCombinesXAndY(float alpha, float beta, int n) {
        float[] x = values(n);
        float[] y = values(n);
        Tensor ty = beta == 0f ? poisoned(n) : tensor(y);
        backend().axpby(alpha, tensor(x), beta, ty);
        assertClose("axpby", ReferenceOps.axpby(alpha, x, beta, y), ty, ELEMENTWISE);
    }

    @Test
    default void elementwiseOpsRejectBadSizes() {
        Tensor ten = tensor(values(10));
        Tensor eleven = poisoned(11);
        Tensor three = tensor(values(3));
        assertRejects("map from 10 floats into 11", () -> backend().map(UnaryOp.NEG, ten, eleven));
        assertRejects("affine from 10 floats into 11", () -> backend().affine(2f, ten, 1f, eleven));
        assertRejects("zip of 10 floats with a broadcast b of 3", () -> backend().zip(BinaryOp.ADD, ten, three, 1,
                poisoned(10)));
        assertRejects("zip of 9 floats with b of 3 and bInner 2 (9 is no multiple of 6)",
                () -> backend().zip(BinaryOp.ADD, tensor(values(9)), three, 2, poisoned(9)));
        assertRejects("zip of 10 floats into 11", () -> backend().zip(BinaryOp.ADD, ten, tensor(values(10)), 1,
                eleven));
        assertRejects("axpby of 10 floats into 11", () -> backend().axpby(1f, ten, 1f, eleven));
    }
}
