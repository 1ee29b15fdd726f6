package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.Backend;
import dev.cortado.backend.BatchNormSpec;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.UnaryOp;
import dev.cortado.nn.Parameter;
import dev.cortado.optim.Adam;
import dev.cortado.optim.Sgd;
import dev.cortado.tensor.MemoryOnlyBackend;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One contract on every device: the same bad call gets the same exception with the same message on every backend,
 * because {@link Backend} checks it before the backend sees it. Every expected message is written out in full
 * here, so a backend that threw its own would fail.
 */
public interface ArgumentConformance extends BackendTestContext {

    /** A call on the backend under test, given a maker of filled tensors of that backend. */
    interface BadCall extends BiConsumer<Backend, Function<int[], Tensor>> {
    }

    private static Arguments bad(String what, BadCall call, String message) {
        return Arguments.of(what, call, message);
    }

    static Stream<Arguments> badCalls() {
        ConvGeometry g = new ConvGeometry(2, 3, 6, 7, 3, 3, 1, 1, 1);
        PoolSpec pool = new PoolSpec(PoolSpec.Kind.MAX, 2, 3, 8, 8, 2, 2, 0);
        return Stream.of(
                bad("map output too short", (b, t) -> b.map(UnaryOp.EXP, t.apply(new int[] {8}),
                        t.apply(new int[] {7})), "map: y [7] has 7 elements, expected 8"),
                bad("affine output", (b, t) -> b.affine(2f, t.apply(new int[] {8}), 1f, t.apply(new int[] {9})),
                        "affine: y [9] has 9 elements, expected 8"),
                bad("axpby output", (b, t) -> b.axpby(1f, t.apply(new int[] {8}), 1f, t.apply(new int[] {7})),
                        "axpby: y [7] has 7 elements, expected 8"),
                bad("zip period", (b, t) -> b.zip(BinaryOp.ADD, t.apply(new int[] {10}), t.apply(new int[] {3}), 1,
                        t.apply(new int[] {10})), "zip: a [10] (10 elements) is not a multiple of b.size() * bInner "
                        + "(3)"),
                bad("zip bInner", (b, t) -> b.zip(BinaryOp.ADD, t.apply(new int[] {10}), t.apply(new int[] {5}), 0,
                        t.apply(new int[] {10})), "zip: bInner must be at least 1, got 0"),
                bad("sum input", (b, t) -> b.sum(t.apply(new int[] {29}), 2, 3, 5, 1f, 0f, t.apply(new int[] {10})),
                        "sum: x [29] has 29 elements, expected 30"),
                bad("sum negative", (b, t) -> b.sum(t.apply(new int[] {1}), -1, 3, 5, 1f, 0f,
                        t.apply(new int[] {1})), "sum: outer must not be negative, got -1"),
                bad("sum output", (b, t) -> b.sum(t.apply(new int[] {30}), 2, 3, 5, 1f, 0f, t.apply(new int[] {9})),
                        "sum: out [9] has 9 elements, expected 10"),
                bad("argmax rows", (b, t) -> b.argmax(t.apply(new int[] {4, 5}), 4, 5, t.apply(new int[] {3})),
                        "argmax: out [3] has 3 elements, expected 4"),
                bad("gemm A", (b, t) -> b.gemm(GemmSpec.of(false, false, 3, 4, 5), t.apply(new int[] {14}),
                        t.apply(new int[] {20}), t.apply(new int[] {12})),
                        "gemm: A [14] has 14 elements, needs at least 15"),
                bad("gemm batched C", (b, t) -> b.gemm(GemmSpec.of(false, false, 2, 2, 2).batched(3, 4, 4, 4),
                        t.apply(new int[] {12}), t.apply(new int[] {12}), t.apply(new int[] {11})),
                        "gemm: C [11] has 11 elements, needs at least 12"),
                bad("gemm C overlaps A", (b, t) -> {
                    Tensor shared = t.apply(new int[] {30});
                    b.gemm(GemmSpec.of(false, false, 3, 3, 3), shared.slice(0, 9), t.apply(new int[] {9}),
                            shared.slice(5, 14));
                }, "gemm: C (floats [5, 14)) overlaps A (floats [0, 9)) in the same buffer"),
                bad("im2col columns", (b, t) -> b.im2col(g, t.apply(new int[] {2, 3, 6, 7}),
                        t.apply(new int[] {27, 83})), "im2col: columns [27, 83] has 2241 elements, expected "
                        + g.columnRows() * g.columnCols()),
                bad("col2im image", (b, t) -> b.col2im(g, t.apply(new int[] {27, 84}),
                        t.apply(new int[] {2, 3, 6, 6})), "col2im: image [2, 3, 6, 6] has 216 elements, expected 252"),
                bad("convolutionForward weight", (b, t) -> b.convolutionForward(new ConvSpec(g, 4, 1),
                        t.apply(new int[] {2, 3, 6, 7}), t.apply(new int[] {4, 3, 3, 2}),
                        t.apply(new int[] {2, 4, 6, 7})),
                        "convolutionForward: w [4, 3, 3, 2] has 72 elements, expected 108"),
                bad("convolutionBackwardWeight dy", (b, t) -> b.convolutionBackwardWeight(new ConvSpec(g, 4, 1),
                        t.apply(new int[] {2, 3, 6, 7}), t.apply(new int[] {2, 4, 6, 6}),
                        t.apply(new int[] {4, 3, 3, 3})),
                        "convolutionBackwardWeight: dy [2, 4, 6, 6] has 288 elements, expected 336"),
                bad("convolutionBackwardInput dx", (b, t) -> b.convolutionBackwardInput(new ConvSpec(g, 4, 1),
                        t.apply(new int[] {4, 3, 3, 3}), t.apply(new int[] {2, 4, 6, 7}),
                        t.apply(new int[] {2, 3, 6, 6})),
                        "convolutionBackwardInput: dx [2, 3, 6, 6] has 216 elements, expected 252"),
                bad("batchNormForward mean", (b, t) -> b.batchNormForward(new BatchNormSpec(2, 3, 5), 1e-5f,
                        t.apply(new int[] {2, 3, 5}), t.apply(new int[] {3}), t.apply(new int[] {3}),
                        t.apply(new int[] {2, 3, 5}), t.apply(new int[] {4}), t.apply(new int[] {3})),
                        "batchNormForward: mean [4] has 4 elements, expected 3"),
                bad("batchNormInference variance", (b, t) -> b.batchNormInference(new BatchNormSpec(2, 3, 5), 1e-5f,
                        t.apply(new int[] {2, 3, 5}), t.apply(new int[] {3}), t.apply(new int[] {2}),
                        t.apply(new int[] {3}), t.apply(new int[] {3}), t.apply(new int[] {2, 3, 5})),
                        "batchNormInference: variance [2] has 2 elements, expected 3"),
                bad("batchNormReluForward y", (b, t) -> b.batchNormReluForward(new BatchNormSpec(2, 3, 5), 1e-5f,
                        t.apply(new int[] {2, 3, 5}), t.apply(new int[] {3}), t.apply(new int[] {3}),
                        t.apply(new int[] {2, 3, 4}), t.apply(new int[] {3}), t.apply(new int[] {3})),
                        "batchNormReluForward: y [2, 3, 4] has 24 elements, expected 30"),
                bad("batchNormReluInference weight", (b, t) -> b.batchNormReluInference(new BatchNormSpec(2, 3, 5),
                        1e-5f, t.apply(new int[] {2, 3, 5}), t.apply(new int[] {3}), t.apply(new int[] {3}),
                        t.apply(new int[] {5}), t.apply(new int[] {3}), t.apply(new int[] {2, 3, 5})),
                        "batchNormReluInference: weight [5] has 5 elements, expected 3"),
                bad("batchNormBackward dx", (b, t) -> b.batchNormBackward(new BatchNormSpec(2, 3, 5),
                        t.apply(new int[] {2, 3, 5}), t.apply(new int[] {3}), t.apply(new int[] {3}),
                        t.apply(new int[] {3}), t.apply(new int[] {2, 3, 5}), t.apply(new int[] {3}),
                        t.apply(new int[] {3}), t.apply(new int[] {2, 3, 4})),
                        "batchNormBackward: dx [2, 3, 4] has 24 elements, expected 30"),
                bad("swapLeadingAxes", (b, t) -> b.swapLeadingAxes(3, 4, 5, t.apply(new int[] {60}),
                        t.apply(new int[] {59})), "swapLeadingAxes: dst [59] has 59 elements, expected 60"),
                bad("label out of range", (b, t) -> {
                    Tensor labels = t.apply(new int[] {2});
                    b.upload(new float[] {1f, 10f}, 0, labels);
                    b.softmaxCrossEntropyForward(t.apply(new int[] {2, 10}), labels, t.apply(new int[] {2, 10}),
                            t.apply(new int[] {2}));
                }, "softmaxCrossEntropyForward: label 10 at index 1 is not a class index in [0, 10)"),
                bad("checked label out of range", (b, t) -> {
                    Tensor labels = t.apply(new int[] {3});
                    b.uploadLabels(new float[] {1f, 3f, 12f}, 0, labels);
                    b.softmaxCrossEntropyForward(t.apply(new int[] {3, 10}), labels, t.apply(new int[] {3, 10}),
                            t.apply(new int[] {3}));
                }, "softmaxCrossEntropyForward: label 12 at index 2 is not a class index in [0, 10)"),
                bad("fractional label", (b, t) -> {
                    Tensor labels = t.apply(new int[] {2});
                    b.upload(new float[] {0.5f, 1f}, 0, labels);
                    b.softmaxCrossEntropyBackward(t.apply(new int[] {2, 10}), labels, 1f, t.apply(new int[] {2, 10}));
                }, "softmaxCrossEntropyBackward: label 0.5 at index 0 is not a class index in [0, 10)"),
                bad("negative label uploaded as labels", (b, t) -> b.uploadLabels(new float[] {2f, -1f}, 0,
                        t.apply(new int[] {2})), "uploadLabels: label -1 at index 1 is not a whole number >= 0"),
                bad("logits of rank 1", (b, t) -> b.softmaxCrossEntropyForward(t.apply(new int[] {10}),
                        t.apply(new int[] {10}), t.apply(new int[] {10}), t.apply(new int[] {10})),
                        "softmaxCrossEntropyForward: logits must be (N, C) with C >= 1, got [10]"),
                bad("logits of rank 3", (b, t) -> b.softmaxCrossEntropyForward(t.apply(new int[] {2, 3, 4}),
                        t.apply(new int[] {2}), t.apply(new int[] {2, 3, 4}), t.apply(new int[] {2})),
                        "softmaxCrossEntropyForward: logits must be (N, C) with C >= 1, got [2, 3, 4]"),
                bad("softmax labels", (b, t) -> b.softmaxCrossEntropyForward(t.apply(new int[] {4, 10}),
                        t.apply(new int[] {3}), t.apply(new int[] {4, 10}), t.apply(new int[] {4})),
                        "softmaxCrossEntropyForward: labels [3] has 3 elements, expected 4"),
                bad("pool output", (b, t) -> b.poolForward(pool, t.apply(new int[] {2, 3, 8, 8}),
                        t.apply(new int[] {2, 3, 4, 3})), "poolForward: y [2, 3, 4, 3] has 72 elements, expected 96"),
                bad("pool gradient", (b, t) -> b.poolBackward(pool, t.apply(new int[] {2, 3, 8, 8}),
                        t.apply(new int[] {96}), t.apply(new int[] {383})),
                        "poolBackward: dx [383] has 383 elements, expected 384"),
                bad("max pool gradient without x", (b, t) -> b.poolBackward(pool, null, t.apply(new int[] {96}),
                        t.apply(new int[] {384})), "poolBackward: x is required for max pooling"),
                bad("activation output", (b, t) -> b.activationForward(Activation.RELU, 0f, t.apply(new int[] {5}),
                        t.apply(new int[] {6})), "activationForward: y [6] has 6 elements, expected 5"),
                bad("relu gradient without x", (b, t) -> b.activationBackward(Activation.RELU, 0f, null,
                        t.apply(new int[] {5}), t.apply(new int[] {5}), t.apply(new int[] {5})),
                        "activationBackward: x is required for RELU"),
                bad("tanh gradient from a short y", (b, t) -> b.activationBackward(Activation.TANH, 0f, null,
                        t.apply(new int[] {4}), t.apply(new int[] {5}), t.apply(new int[] {5})),
                        "activationBackward: y [4] has 4 elements, expected 5"),
                bad("addRelu b", (b, t) -> b.addRelu(t.apply(new int[] {5}), t.apply(new int[] {2, 3}),
                        t.apply(new int[] {5})), "addRelu: b [2, 3] has 6 elements, expected 5"),
                bad("dropout output", (b, t) -> b.dropoutForward(new DropoutSpec(0.5f, 1, 2), t.apply(new int[] {5}),
                        t.apply(new int[] {4})), "dropoutForward: y [4] has 4 elements, expected 5"),
                bad("dropout gradient", (b, t) -> b.dropoutBackward(new DropoutSpec(0.5f, 1, 2),
                        t.apply(new int[] {5}), t.apply(new int[] {6})),
                        "dropoutBackward: dx [6] has 6 elements, expected 5"),
                bad("sgd velocity missing", (b, t) -> b.sgdUpdate(new SgdStep(0.1f, 0.9f, 0f, false),
                        t.apply(new int[] {5}), t.apply(new int[] {5}), null),
                        "sgdUpdate: velocity is required for momentum 0.9"),
                bad("sgd gradient", (b, t) -> b.sgdUpdate(new SgdStep(0.1f, 0f, 0f, false), t.apply(new int[] {5}),
                        t.apply(new int[] {4}), null), "sgdUpdate: grad [4] has 4 elements, expected 5"),
                bad("adam state", (b, t) -> b.adamUpdate(new AdamStep(0.1f, 0.9f, 0.99f, 1e-8f, 0f, false, 1),
                        t.apply(new int[] {5}), t.apply(new int[] {5}), t.apply(new int[] {5}), t.apply(new int[] {6})),
                        "adamUpdate: v [6] has 6 elements, expected 5"),
                bad("copy size", (b, t) -> b.copy(t.apply(new int[] {5}), t.apply(new int[] {6})),
                        "copy: dst [6] has 6 elements, expected 5"),
                bad("copy overlap", (b, t) -> {
                    Tensor shared = t.apply(new int[] {10});
                    b.copy(shared.slice(0, 6), shared.slice(4, 10));
                }, "copy: dst (floats [4, 10)) overlaps src (floats [0, 6)) in the same buffer"),
                bad("upload range", (b, t) -> b.upload(new float[10], 6, t.apply(new int[] {5})),
                        "upload: tensor [5] needs 5 floats from host offset 6, the host array has 10"),
                bad("download range", (b, t) -> b.download(t.apply(new int[] {5}), new float[4], 0),
                        "download: tensor [5] needs 5 floats from host offset 0, the host array has 4"),
                bad("null tensor", (b, t) -> b.fill(null, 1f), "fill: dst is null"));
    }

    /** A filled tensor of the backend under test, allocated directly (offset 0, closed by the backend's pool). */
    private Tensor filled(int[] dims) {
        Tensor t = backend().allocate(Shape.of(dims));
        backend().fill(t, 1f);
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    default void aBadCallThrowsTheSameMessageOnEveryBackend(String what, BadCall call, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> call.accept(backend(), this::filled), what);
        assertEquals(message, e.getMessage(), what);
    }

    @Test
    default void aClosedTensorAndEveryViewOfItThrowOnUse() {
        Tensor owner = backend().upload(Shape.of(4, 3), values(12));
        Tensor view = owner.slice(1, 3);
        Tensor reshaped = owner.reshape(Shape.of(12));
        owner.close();
        Tensor other = backend().upload(Shape.of(12), values(12));
        assertClosed("download: src: " + owner + " was closed", owner::toArray);
        assertClosed("download: src: " + view + " was closed (it is a view of a tensor that was closed)",
                view::toArray);
        assertClosed("fill: dst: " + reshaped + " was closed (it is a view of a tensor that was closed)",
                () -> backend().fill(reshaped, 1f));
        assertClosed("copy: src: " + reshaped + " was closed (it is a view of a tensor that was closed)",
                () -> backend().copy(reshaped, other));
        assertClosed("slice: " + owner + " was closed", () -> owner.slice(0, 1));
        assertClosed("reshape: " + view + " was closed (it is a view of a tensor that was closed)",
                () -> view.reshape(Shape.of(6)));
        other.close();
    }

    @Test
    default void aTensorOfAnotherBackendIsRefused() {
        Tensor mine = backend().allocate(Shape.of(4));
        try (Backend other = new MemoryOnlyBackend(backend().info());
             Tensor theirs = other.upload(Shape.of(4), values(4))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend().copy(theirs, mine));
            assertEquals("copy: src " + theirs + " does not belong to this backend (" + backend().info().device()
                    + ", another backend of the same device)", e.getMessage());
        }
        mine.close();
    }

    @Test
    default void anOptimizerStepRejectsALearningRateThatIsNotAFiniteNumber() {
        try (Parameter p = Parameter.of("weight", backend().upload(Shape.of(3), values(3)));
             Sgd sgd = new Sgd(List.of(p), 0.9f, 0f, false);
             Adam adam = Adam.adam(List.of(p), 0f)) {
            float[] before = p.value().toArray();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.step(Float.NaN));
            assertEquals("SGD: learning rate must be a finite number >= 0, got NaN", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> adam.step(Float.POSITIVE_INFINITY));
            assertEquals("Adam: learning rate must be a finite number >= 0, got Infinity", e.getMessage());
            assertArrayEquals(before, p.value().toArray(), "the parameter is unchanged");
        }
    }

    private static void assertClosed(String message, Executable call) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        assertTrue(e.getMessage().equals(message), () -> "expected '" + message + "', got '" + e.getMessage() + "'");
    }
}
