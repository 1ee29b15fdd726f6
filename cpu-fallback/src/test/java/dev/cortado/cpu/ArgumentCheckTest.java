package dev.cortado.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.UnaryOp;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad arguments throw {@link IllegalArgumentException} whose message names the op and the sizes involved. */
class ArgumentCheckTest {
    private static final CpuBackend BACKEND = new CpuBackend();

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static Tensor t(int... dims) {
        Tensor t = BACKEND.allocate(Shape.of(dims));
        BACKEND.fill(t, 1f);
        return t;
    }

    private static Arguments bad(String what, Consumer<Backend> call, String... fragments) {
        return Arguments.of(what, call, fragments);
    }

    static Stream<Arguments> badCalls() {
        ConvGeometry g = new ConvGeometry(2, 3, 6, 7, 3, 3, 1, 1, 1);
        PoolSpec pool = new PoolSpec(PoolSpec.Kind.MAX, 2, 3, 8, 8, 2, 2, 0);
        return Stream.of(
                bad("map output too short", b -> b.map(UnaryOp.EXP, t(8), t(7)), "map: y [7] has 7 elements",
                        "expected 8"),
                bad("zip period", b -> b.zip(BinaryOp.ADD, t(10), t(3), 1, t(10)), "zip: a (10 elements)",
                        "not a multiple of b.size() * bInner (3)"),
                bad("zip bInner", b -> b.zip(BinaryOp.ADD, t(10), t(5), 0, t(10)), "zip: bInner must be at least 1",
                        "got 0"),
                bad("sum input", b -> b.sum(t(29), 2, 3, 5, 1f, 0f, t(10)), "sum: x [29] has 29 elements",
                        "expected 30"),
                bad("sum output", b -> b.sum(t(30), 2, 3, 5, 1f, 0f, t(9)), "sum: out", "expected 10"),
                bad("argmax rows", b -> b.argmax(t(4, 5), 4, 5, t(3)), "argmax: out", "expected 4"),
                bad("gemm A", b -> b.gemm(GemmSpec.of(false, false, 3, 4, 5), t(14), t(20), t(12)), "gemm: A",
                        "needs at least 15"),
                bad("gemm batched C", b -> b.gemm(GemmSpec.of(false, false, 2, 2, 2).batched(3, 4, 4, 4), t(12),
                        t(12), t(11)), "gemm: C", "needs at least 12"),
                bad("gemm negative stride", b -> b.gemm(GemmSpec.of(false, false, 2, 2, 2).batched(2, -4, 0, 4),
                        t(8), t(4), t(8)), "gemm: strideA must be at least 0", "got -4"),
                bad("gemm aliasing", b -> {
                    Tensor shared = t(30);
                    b.gemm(GemmSpec.of(false, false, 3, 3, 3), shared.slice(0, 9), t(9), shared.slice(5, 14));
                }, "gemm: C (floats [5, 14)) overlaps A (floats [0, 9))"),
                bad("im2col columns", b -> b.im2col(g, t(2, 3, 6, 7), t(27, 83)), "im2col: columns",
                        "expected " + g.columnRows() * g.columnCols()),
                bad("col2im image", b -> b.col2im(g, t(27, 84), t(2, 3, 6, 6)), "col2im: image", "expected 252"),
                bad("swapLeadingAxes", b -> b.swapLeadingAxes(3, 4, 5, t(60), t(59)), "swapLeadingAxes: dst",
                        "expected 60"),
                bad("label out of range", b -> {
                    Tensor labels = t(2);
                    b.upload(new float[] {1f, 10f}, 0, labels);
                    b.softmaxCrossEntropyForward(t(2, 10), labels, t(2, 10), t(2));
                }, "softmaxCrossEntropyForward: label 10.0 of row 1", "[0, 10)"),
                bad("fractional label", b -> {
                    Tensor labels = t(2);
                    b.upload(new float[] {0.5f, 1f}, 0, labels);
                    b.softmaxCrossEntropyBackward(t(2, 10), labels, 1f, t(2, 10));
                }, "softmaxCrossEntropyBackward: label 0.5 of row 0"),
                bad("logits rank", b -> b.softmaxCrossEntropyForward(t(10), t(10), t(10), t(10)),
                        "softmaxCrossEntropyForward: expected (N, C)", "got [10]"),
                bad("softmax labels", b -> b.softmaxCrossEntropyForward(t(4, 10), t(3), t(4, 10), t(4)),
                        "softmaxCrossEntropyForward: labels [3] has 3 elements", "expected 4"),
                bad("pool output", b -> b.poolForward(pool, t(2, 3, 8, 8), t(2, 3, 4, 3)), "poolForward: y",
                        "expected 96"),
                bad("pool gradient", b -> b.poolBackward(pool, t(2, 3, 8, 8), t(96), t(383)), "poolBackward: dx",
                        "expected 384"),
                bad("activation output", b -> b.activationForward(Activation.RELU, 0f, t(5), t(6)),
                        "activationForward: y", "expected 5"),
                bad("relu gradient without x", b -> b.activationBackward(Activation.RELU, 0f, null, t(5), t(5),
                        t(5)), "activationBackward: x is required for RELU"),
                bad("tanh gradient from a short y", b -> b.activationBackward(Activation.TANH, 0f, null, t(4),
                        t(5), t(5)), "activationBackward: y [4] has 4 elements", "expected 5"),
                bad("dropout output", b -> b.dropoutForward(new DropoutSpec(0.5f, 1, 2), t(5), t(4)),
                        "dropoutForward: y", "expected 5"),
                bad("sgd velocity missing", b -> b.sgdUpdate(new SgdStep(0.1f, 0.9f, 0f, false), t(5), t(5), null),
                        "sgdUpdate: velocity is required"),
                bad("sgd gradient", b -> b.sgdUpdate(new SgdStep(0.1f, 0f, 0f, false), t(5), t(4), null),
                        "sgdUpdate: grad", "expected 5"),
                bad("adam state", b -> b.adamUpdate(new AdamStep(0.1f, 0.9f, 0.99f, 1e-8f, 0f, false, 1), t(5), t(5),
                        t(5), t(6)), "adamUpdate: v", "expected 5"),
                bad("copy", b -> b.copy(t(5), t(6)), "copy: dst", "expected 5"),
                bad("upload", b -> b.upload(new float[10], 6, t(5)), "upload: tensor [5] needs 5 floats",
                        "from host offset 6", "host array has 10"),
                bad("download", b -> b.download(t(5), new float[4], 0), "download", "host array has 4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void badArgumentsAreNamed(String what, Consumer<Backend> call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.accept(BACKEND), what);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> what + ": message '" + e.getMessage()
                    + "' does not contain '" + fragment + "'");
        }
    }
}
