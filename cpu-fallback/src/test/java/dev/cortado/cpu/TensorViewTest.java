package dev.cortado.cpu;

import static dev.cortado.cpu.TestData.assertClose;
import static dev.cortado.cpu.TestData.integers;
import static dev.cortado.cpu.TestData.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op on views that start inside a larger buffer (non-zero {@link Tensor#offset()}) gives the result it gives
 * on tensors of their own, and writes nothing outside the views.
 */
class TensorViewTest {
    private static final int BEFORE = 5;
    private static final int AFTER = 3;
    private static final float GUARD = 123.25f;

    private final CpuBackend backend = new CpuBackend();
    private final SplittableRandom random = new SplittableRandom(77);

    @AfterEach
    void close() {
        backend.close();
    }

    /** An op's tensors: inputs hold random values (or class labels), outputs start as NaN. */
    record Slot(Shape shape, Kind kind, int classes) {
        enum Kind { RANDOM, LABELS, NAN }

        static Slot in(int... dims) {
            return new Slot(Shape.of(dims), Kind.RANDOM, 0);
        }

        static Slot out(int... dims) {
            return new Slot(Shape.of(dims), Kind.NAN, 0);
        }

        static Slot labels(int n, int classes) {
            return new Slot(Shape.of(n), Kind.LABELS, classes);
        }

        float[] initial(SplittableRandom random) {
            int n = (int) shape.size();
            return switch (kind) {
                case RANDOM -> uniform(random, n, 0.1f, 2f);
                case LABELS -> integers(random, n, classes);
                case NAN -> {
                    float[] nan = new float[n];
                    Arrays.fill(nan, Float.NaN);
                    yield nan;
                }
            };
        }
    }

    @FunctionalInterface
    interface Op {
        void run(Backend b, Tensor[] t);
    }

    record Case(String name, List<Slot> slots, Op op) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case of(String name, Op op, Slot... slots) {
        return new Case(name, List.of(slots), op);
    }

    static Stream<Case> cases() {
        PoolSpec max = new PoolSpec(PoolSpec.Kind.MAX, 2, 3, 8, 9, 3, 2, 1);
        PoolSpec avg = new PoolSpec(PoolSpec.Kind.AVG, 2, 3, 8, 9, 2, 2, 0);
        ConvGeometry g = new ConvGeometry(2, 3, 6, 7, 3, 3, 1, 1, 1);
        int cols = (int) g.columnCols();
        return Stream.of(
                of("copy", (b, t) -> b.copy(t[0], t[1]), Slot.in(37), Slot.out(37)),
                of("fill", (b, t) -> b.fill(t[0], 3f), Slot.out(37)),
                of("upload and download", (b, t) -> b.upload(t[0].toArray(), 0, t[1]), Slot.in(37), Slot.out(37)),
                of("map", (b, t) -> b.map(UnaryOp.LOG, t[0], t[1]), Slot.in(37), Slot.out(37)),
                of("affine", (b, t) -> b.affine(2f, t[0], 1f, t[1]), Slot.in(37), Slot.out(37)),
                of("zip", (b, t) -> b.zip(BinaryOp.DIV, t[0], t[1], 1, t[2]), Slot.in(7, 13), Slot.in(13),
                        Slot.out(7, 13)),
                of("axpby", (b, t) -> b.axpby(2f, t[0], 0.5f, t[1]), Slot.in(37), Slot.in(37)),
                of("sum", (b, t) -> b.sum(t[0], 3, 5, 7, 1f, 0f, t[1]), Slot.in(3, 5, 7), Slot.out(3, 7)),
                of("row sum", (b, t) -> b.sum(t[0], 3, 35, 1, 1f, 0f, t[1]), Slot.in(3, 35), Slot.out(3)),
                of("argmax", (b, t) -> b.argmax(t[0], 9, 11, t[1]), Slot.in(9, 11), Slot.out(9)),
                of("softmax forward", (b, t) -> b.softmaxCrossEntropyForward(t[0], t[1], t[2], t[3]),
                        Slot.in(6, 10), Slot.labels(6, 10), Slot.out(6, 10), Slot.out(6)),
                of("softmax backward", (b, t) -> b.softmaxCrossEntropyBackward(t[0], t[1], 0.5f, t[2]),
                        Slot.in(6, 10), Slot.labels(6, 10), Slot.out(6, 10)),
                of("max pool", (b, t) -> b.poolForward(max, t[0], t[1]), Slot.in(2, 3, 8, 9),
                        Slot.out(2, 3, max.outHeight(), max.outWidth())),
                of("max pool backward", (b, t) -> b.poolBackward(max, t[0], t[1], t[2]), Slot.in(2, 3, 8, 9),
                        Slot.in(2, 3, max.outHeight(), max.outWidth()), Slot.out(2, 3, 8, 9)),
                of("avg pool", (b, t) -> b.poolForward(avg, t[0], t[1]), Slot.in(2, 3, 8, 9),
                        Slot.out(2, 3, avg.outHeight(), avg.outWidth())),
                of("avg pool backward", (b, t) -> b.poolBackward(avg, t[0], t[1], t[2]), Slot.in(2, 3, 8, 9),
                        Slot.in(2, 3, avg.outHeight(), avg.outWidth()), Slot.out(2, 3, 8, 9)),
                of("activation", (b, t) -> b.activationForward(Activation.TANH, 0f, t[0], t[1]), Slot.in(37),
                        Slot.out(37)),
                of("activation backward", (b, t) -> b.activationBackward(Activation.SIGMOID, 0f, t[0], t[1], t[2],
                        t[3]), Slot.in(37), Slot.in(37), Slot.in(37), Slot.out(37)),
                of("dropout", (b, t) -> b.dropoutForward(new DropoutSpec(0.5f, 3, 4), t[0], t[1]), Slot.in(37),
                        Slot.out(37)),
                of("dropout backward", (b, t) -> b.dropoutBackward(new DropoutSpec(0.5f, 3, 4), t[0], t[1]),
                        Slot.in(37), Slot.out(37)),
                of("sgd", (b, t) -> b.sgdUpdate(new SgdStep(0.1f, 0.9f, 0.01f, true), t[0], t[1], t[2]),
                        Slot.in(37), Slot.in(37), Slot.in(37)),
                of("adam", (b, t) -> b.adamUpdate(new AdamStep(0.1f, 0.9f, 0.99f, 1e-8f, 0.1f, true, 3), t[0], t[1],
                        t[2], t[3]), Slot.in(37), Slot.in(37), Slot.in(37), Slot.in(37)),
                of("im2col", (b, t) -> b.im2col(g, t[0], t[1]), Slot.in(2, 3, 6, 7), Slot.out(g.columnRows(), cols)),
                of("col2im", (b, t) -> b.col2im(g, t[0], t[1]), Slot.in(g.columnRows(), cols), Slot.out(2, 3, 6, 7)),
                of("swapLeadingAxes", (b, t) -> b.swapLeadingAxes(3, 4, 5, t[0], t[1]), Slot.in(3, 4, 5),
                        Slot.out(4, 3, 5)),
                of("gemm", (b, t) -> b.gemm(GemmSpec.of(true, false, 4, 5, 6).scaled(1f, 0.5f), t[0], t[1], t[2]),
                        Slot.in(6, 4), Slot.in(6, 5), Slot.in(4, 5)),
                of("batched gemm", (b, t) -> b.gemm(GemmSpec.of(false, true, 3, 2, 4).batched(3, 12, 0, 6), t[0],
                        t[1], t[2]), Slot.in(3, 3, 4), Slot.in(2, 4), Slot.out(3, 3, 2)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void viewsGiveTheSameResultAndStayInBounds(Case c) {
        List<float[]> initial = c.slots().stream().map(s -> s.initial(random)).toList();
        int count = initial.size();

        Tensor[] plain = new Tensor[count];
        for (int i = 0; i < count; i++) {
            plain[i] = backend.upload(c.slots().get(i).shape(), initial.get(i));
        }
        c.op().run(backend, plain);

        Tensor[] parents = new Tensor[count];
        Tensor[] views = new Tensor[count];
        for (int i = 0; i < count; i++) {
            int n = initial.get(i).length;
            parents[i] = backend.allocate(Shape.of(BEFORE + n + AFTER));
            backend.fill(parents[i], GUARD);
            views[i] = parents[i].slice(BEFORE, BEFORE + n).reshape(c.slots().get(i).shape());
            backend.upload(initial.get(i), 0, views[i]);
        }
        c.op().run(backend, views);

        for (int i = 0; i < count; i++) {
            assertClose(plain[i].toArray(), views[i].toArray(), 1e-6, c + ", tensor " + i + " as a view");
            float[] whole = parents[i].toArray();
            for (int k = 0; k < BEFORE; k++) {
                assertEquals(GUARD, whole[k], c + " wrote before view " + i);
            }
            for (int k = whole.length - AFTER; k < whole.length; k++) {
                assertEquals(GUARD, whole[k], c + " wrote after view " + i);
            }
        }
    }
}
