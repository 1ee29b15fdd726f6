package dev.cortado.cli;

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
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Runs every {@link Backend} op on a device and on a reference backend (the CPU fallback) with the same random
 * inputs, and compares the results: the worst normwise relative error, {@code max|x - ref| / max|ref|}, must be
 * within the op's tolerance (0 for ops that only move or select data). Outputs are filled with NaN before each
 * op so that elements an op fails to write show up. Sizes are awkward on purpose: primes, not multiples of any
 * tile.
 */
final class SelfTest {
    private static final double EXACT = 0;
    private static final double ROUNDING = 1e-6;
    private static final double TRANSCENDENTAL = 1e-5;
    private static final double ACCUMULATION = 1e-4;

    /** One op with its inputs: runs it on a backend and returns its outputs, concatenated. */
    record Check(String name, double tolerance, Function<Session, float[]> body) {
    }

    /**
     * The outcome of one check.
     *
     * @param error the worst relative error, or NaN when the op failed on the device
     * @param failure why the op could not run on the device, or null
     */
    record Row(String name, boolean passed, double error, double tolerance, String failure) {
    }

    private SelfTest() {
    }

    /** Runs every check on {@code device} and on {@code reference}. */
    static List<Row> run(Backend device, Backend reference) {
        List<Row> rows = new ArrayList<>();
        for (Check check : checks()) {
            float[] expected = runOn(reference, check);
            float[] actual;
            try {
                actual = runOn(device, check);
            } catch (RuntimeException e) {
                rows.add(new Row(check.name(), false, Double.NaN, check.tolerance(), e.toString()));
                continue;
            }
            double error = relativeError(actual, expected);
            rows.add(new Row(check.name(), error <= check.tolerance(), error, check.tolerance(), null));
        }
        return rows;
    }

    private static float[] runOn(Backend backend, Check check) {
        try (Session session = new Session(backend)) {
            return check.body().apply(session);
        }
    }

    /** {@code max|a - b| / max|b|}; infinite where only one of the two is NaN or the lengths differ. */
    static double relativeError(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            float a = actual[i];
            float e = expected[i];
            if (Float.isNaN(a) || Float.isNaN(e)) {
                if (Float.isNaN(a) != Float.isNaN(e)) {
                    return Double.POSITIVE_INFINITY;
                }
                continue;
            }
            worst = Math.max(worst, Math.abs((double) a - e));
            scale = Math.max(scale, Math.abs(e));
        }
        return worst == 0 ? 0 : worst / Math.max(scale, Double.MIN_NORMAL);
    }

    /** Tensors of one check on one backend, closed together. */
    static final class Session implements AutoCloseable {
        private final Backend backend;
        private final List<Tensor> tensors = new ArrayList<>();

        Session(Backend backend) {
            this.backend = backend;
        }

        Backend backend() {
            return backend;
        }

        /** Uploads {@code values} as a tensor of {@code dims} (default: one dimension). */
        Tensor in(float[] values, int... dims) {
            Tensor t = backend.upload(dims.length == 0 ? Shape.of(values.length) : Shape.of(dims), values);
            tensors.add(t);
            return t;
        }

        /** A tensor of {@code size} floats filled with NaN. */
        Tensor out(long size) {
            Tensor t = backend.allocate(Shape.of(Math.toIntExact(size)));
            backend.fill(t, Float.NaN);
            tensors.add(t);
            return t;
        }

        /** The tensors' contents, one after the other. */
        float[] result(Tensor... outputs) {
            int total = 0;
            for (Tensor t : outputs) {
                total += Math.toIntExact(t.size());
            }
            float[] all = new float[total];
            int offset = 0;
            for (Tensor t : outputs) {
                backend.download(t, all, offset);
                offset += Math.toIntExact(t.size());
            }
            return all;
        }

        @Override
        public void close() {
            tensors.forEach(Tensor::close);
        }
    }

    /** Every op of the Backend interface, each variant that takes another code path. */
    static List<Check> checks() {
        SplittableRandom random = new SplittableRandom(20_261_129);
        List<Check> checks = new ArrayList<>();
        float[] x = uniform(random, 1031, -1, 1);
        checks.add(new Check("upload/download", EXACT, s -> s.result(s.in(x))));
        float[] labels = integers(new SplittableRandom(11), 257, 10);
        checks.add(new Check("uploadLabels", EXACT, s -> {
            Tensor y = s.out(labels.length);
            s.backend().uploadLabels(labels, 0, y);
            return s.result(y);
        }));
        checks.add(new Check("copy", EXACT, s -> {
            Tensor y = s.out(x.length);
            s.backend().copy(s.in(x), y);
            return s.result(y);
        }));
        checks.add(new Check("fill", EXACT, s -> {
            Tensor y = s.out(523);
            s.backend().fill(y, 0.37f);
            return s.result(y);
        }));
        addGemm(checks, random);
        addConvolution(checks, random);
        addElementwise(checks, random, x);
        addReductions(checks, random);
        addPooling(checks, random);
        addBatchNorm(checks, random);
        addActivations(checks, random);
        addOptimizers(checks, random);
        return checks;
    }

    private static void addGemm(List<Check> checks, SplittableRandom random) {
        int m = 37;
        int n = 29;
        int k = 53;
        float[] a = uniform(random, m * k, -1, 1);
        float[] b = uniform(random, k * n, -1, 1);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                String name = String.format(Locale.ROOT, "gemm %s%s %dx%dx%d", transA ? "T" : "N", transB ? "T" : "N",
                        m, n, k);
                checks.add(new Check(name, ACCUMULATION, s -> {
                    Tensor c = s.out((long) m * n);
                    s.backend().gemm(GemmSpec.of(transA, transB, m, n, k), s.in(a), s.in(b), c);
                    return s.result(c);
                }));
            }
        }
        int batch = 3;
        float[] c0 = uniform(random, batch * 7 * 11, -1, 1);
        float[] ab = uniform(random, batch * 7 * 13, -1, 1);
        float[] bb = uniform(random, 13 * 11, -1, 1);
        checks.add(new Check("gemm batched 3x(7x11x13), shared B, alpha/beta", ACCUMULATION, s -> {
            Tensor c = s.in(c0);
            s.backend().gemm(GemmSpec.of(false, false, 7, 11, 13).scaled(0.5f, 0.25f).batched(batch, 7 * 13, 0,
                    7 * 11), s.in(ab), s.in(bb), c);
            return s.result(c);
        }));
    }

    private static void addConvolution(List<Check> checks, SplittableRandom random) {
        ConvGeometry g = new ConvGeometry(2, 3, 11, 9, 3, 2, 2, 1, 2);
        float[] image = uniform(random, (int) g.imageSize(), -1, 1);
        float[] columns = uniform(random, (int) (g.columnRows() * g.columnCols()), -1, 1);
        checks.add(new Check("im2col", EXACT, s -> {
            Tensor out = s.out(g.columnRows() * g.columnCols());
            s.backend().im2col(g, s.in(image), out);
            return s.result(out);
        }));
        checks.add(new Check("col2im", ROUNDING, s -> {
            Tensor out = s.out(g.imageSize());
            s.backend().col2im(g, s.in(columns), out);
            return s.result(out);
        }));
        ConvSpec conv = new ConvSpec(g, 6, 3);
        float[] weight = uniform(random, (int) conv.weightSize(), -1, 1);
        float[] outGrad = uniform(random, (int) conv.outputSize(), -1, 1);
        checks.add(new Check("convolutionForward, 3 groups", ACCUMULATION, s -> {
            Tensor out = s.out(conv.outputSize());
            s.backend().convolutionForward(conv, s.in(image), s.in(weight), out);
            return s.result(out);
        }));
        checks.add(new Check("convolutionBackwardWeight, 3 groups", ACCUMULATION, s -> {
            Tensor dw = s.in(weight);
            s.backend().convolutionBackwardWeight(conv, s.in(image), s.in(outGrad), dw);
            return s.result(dw);
        }));
        checks.add(new Check("convolutionBackwardInput, 3 groups", ACCUMULATION, s -> {
            Tensor dx = s.out(g.imageSize());
            s.backend().convolutionBackwardInput(conv, s.in(weight), s.in(outGrad), dx);
            return s.result(dx);
        }));
        float[] cube = uniform(random, 3 * 5 * 7, -1, 1);
        checks.add(new Check("swapLeadingAxes", EXACT, s -> {
            Tensor out = s.out(cube.length);
            s.backend().swapLeadingAxes(3, 5, 7, s.in(cube), out);
            return s.result(out);
        }));
    }

    private static void addBatchNorm(List<Check> checks, SplittableRandom random) {
        BatchNormSpec norm = new BatchNormSpec(3, 5, 37);
        float[] normInput = uniform(random, (int) norm.size(), 2, 4);
        float[] normGrad = uniform(random, (int) norm.size(), -1, 1);
        float[] perChannel = uniform(random, norm.channels(), 0.5, 2);
        float[] shift = uniform(random, norm.channels(), 2.5, 3.5);
        checks.add(new Check("batch norm forward", ACCUMULATION, s -> {
            Tensor y = s.out(norm.size());
            Tensor mean = s.out(norm.channels());
            Tensor variance = s.out(norm.channels());
            s.backend().batchNormForward(norm, 1e-5f, s.in(normInput), s.in(perChannel), s.in(shift), y, mean,
                    variance);
            return s.result(y, mean, variance);
        }));
        checks.add(new Check("batch norm inference", ACCUMULATION, s -> {
            Tensor y = s.out(norm.size());
            s.backend().batchNormInference(norm, 1e-5f, s.in(normInput), s.in(shift), s.in(perChannel),
                    s.in(perChannel), s.in(shift), y);
            return s.result(y);
        }));
        // a bias around 0, so that the ReLU clamps about half of the outputs
        float[] centred = uniform(random, norm.channels(), -1, 1);
        checks.add(new Check("batch norm + ReLU forward", ACCUMULATION, s -> {
            Tensor y = s.out(norm.size());
            Tensor mean = s.out(norm.channels());
            Tensor variance = s.out(norm.channels());
            s.backend().batchNormReluForward(norm, 1e-5f, s.in(normInput), s.in(perChannel), s.in(centred), y, mean,
                    variance);
            return s.result(y, mean, variance);
        }));
        checks.add(new Check("batch norm + ReLU inference", ACCUMULATION, s -> {
            Tensor y = s.out(norm.size());
            s.backend().batchNormReluInference(norm, 1e-5f, s.in(normInput), s.in(shift), s.in(perChannel),
                    s.in(perChannel), s.in(centred), y);
            return s.result(y);
        }));
        checks.add(new Check("batch norm backward", ACCUMULATION, s -> {
            Tensor dx = s.out(norm.size());
            Tensor dWeight = s.in(perChannel);
            Tensor dBias = s.in(shift);
            s.backend().batchNormBackward(norm, s.in(normInput), s.in(shift), s.in(perChannel), s.in(perChannel),
                    s.in(normGrad), dWeight, dBias, dx);
            return s.result(dx, dWeight, dBias);
        }));
    }

    private static void addElementwise(List<Check> checks, SplittableRandom random, float[] x) {
        float[] positive = uniform(random, 211, 0.5, 2);
        for (UnaryOp op : UnaryOp.values()) {
            boolean needsPositive = op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.LOG
                    || op == UnaryOp.RECIPROCAL;
            float[] input = needsPositive ? positive : x;
            boolean exact = op == UnaryOp.NEG || op == UnaryOp.ABS;
            checks.add(new Check("map " + op.name().toLowerCase(Locale.ROOT), exact ? EXACT : TRANSCENDENTAL, s -> {
                Tensor y = s.out(input.length);
                s.backend().map(op, s.in(input), y);
                return s.result(y);
            }));
        }
        checks.add(new Check("affine", ROUNDING, s -> {
            Tensor y = s.out(x.length);
            s.backend().affine(1.7f, s.in(x), -0.3f, y);
            return s.result(y);
        }));
        float[] a = uniform(random, 6 * 5 * 4, -1, 1);
        float[] b = uniform(random, 5, 0.5, 2);
        float[] aInts = integers(random, 6 * 5 * 4, 3);
        float[] bInts = integers(random, 5, 3);
        for (BinaryOp op : BinaryOp.values()) {
            boolean equal = op == BinaryOp.EQUAL;
            float[] left = equal ? aInts : a;
            float[] right = equal ? bInts : b;
            checks.add(new Check("zip " + op.name().toLowerCase(Locale.ROOT) + " (broadcast)",
                    equal ? EXACT : ROUNDING, s -> {
                        Tensor out = s.out(left.length);
                        s.backend().zip(op, s.in(left), s.in(right), 4, out);
                        return s.result(out);
                    }));
        }
        float[] y0 = uniform(random, x.length, -1, 1);
        checks.add(new Check("axpby", ROUNDING, s -> {
            Tensor y = s.in(y0);
            s.backend().axpby(0.7f, s.in(x), -1.3f, y);
            return s.result(y);
        }));
    }

    private static void addReductions(List<Check> checks, SplittableRandom random) {
        float[] x = uniform(random, 3 * 17 * 5, -1, 1);
        float[] out0 = uniform(random, 3 * 5, -1, 1);
        checks.add(new Check("sum (middle axis, alpha/beta)", ACCUMULATION, s -> {
            Tensor out = s.in(out0);
            s.backend().sum(s.in(x), 3, 17, 5, 0.5f, 0.25f, out);
            return s.result(out);
        }));
        int rows = 13;
        int cols = 10;
        float[] logits = uniform(random, rows * cols, -3, 3);
        float[] labels = integers(random, rows, cols);
        checks.add(new Check("argmax", EXACT, s -> {
            Tensor out = s.out(rows);
            s.backend().argmax(s.in(logits), rows, cols, out);
            return s.result(out);
        }));
        checks.add(new Check("softmaxCrossEntropyForward", ACCUMULATION, s -> {
            Tensor probs = s.out(rows * cols);
            Tensor loss = s.out(rows);
            s.backend().softmaxCrossEntropyForward(s.in(logits, rows, cols), s.in(labels), probs.reshape(
                    Shape.of(rows, cols)), loss);
            return s.result(probs, loss);
        }));
        // The backward op is scale * (probs - onehot) element by element: any values in [0, 1] exercise it.
        float[] probs = uniform(random, rows * cols, 0, 1);
        checks.add(new Check("softmaxCrossEntropyBackward", ROUNDING, s -> {
            Tensor grad = s.out(rows * cols);
            s.backend().softmaxCrossEntropyBackward(s.in(probs, rows, cols), s.in(labels), 1f / rows,
                    grad.reshape(Shape.of(rows, cols)));
            return s.result(grad);
        }));
    }

    private static void addPooling(List<Check> checks, SplittableRandom random) {
        for (PoolSpec.Kind kind : PoolSpec.Kind.values()) {
            PoolSpec spec = new PoolSpec(kind, 2, 3, 9, 8, 3, 2, 1);
            float[] x = uniform(random, (int) spec.inputSize(), -1, 1);
            float[] dy = uniform(random, (int) spec.outputSize(), -1, 1);
            String name = kind.name().toLowerCase(Locale.ROOT) + " pool";
            double tolerance = kind == PoolSpec.Kind.MAX ? EXACT : ROUNDING;
            checks.add(new Check(name + " forward", tolerance, s -> {
                Tensor y = s.out(spec.outputSize());
                s.backend().poolForward(spec, s.in(x), y);
                return s.result(y);
            }));
            checks.add(new Check(name + " backward", tolerance, s -> {
                Tensor dx = s.out(spec.inputSize());
                s.backend().poolBackward(spec, s.in(x), s.in(dy), dx);
                return s.result(dx);
            }));
        }
    }

    private static void addActivations(List<Check> checks, SplittableRandom random) {
        float[] x = uniform(random, 997, -3, 3);
        float[] dy = uniform(random, x.length, -1, 1);
        for (Activation f : Activation.values()) {
            String name = f.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            boolean exact = f == Activation.RELU;
            checks.add(new Check(name + " forward", exact ? EXACT : TRANSCENDENTAL, s -> {
                Tensor y = s.out(x.length);
                s.backend().activationForward(f, 0.1f, s.in(x), y);
                return s.result(y);
            }));
            checks.add(new Check(name + " backward", exact ? EXACT : TRANSCENDENTAL, s -> {
                Tensor in = s.in(x);
                Tensor y = s.out(x.length);
                s.backend().activationForward(f, 0.1f, in, y);
                Tensor dx = s.out(x.length);
                s.backend().activationBackward(f, 0.1f, in, y, s.in(dy), dx);
                return s.result(dx);
            }));
        }
        checks.add(new Check("sum + ReLU", ROUNDING, s -> {
            Tensor out = s.out(x.length);
            s.backend().addRelu(s.in(x), s.in(dy), out);
            return s.result(out);
        }));
        DropoutSpec dropout = new DropoutSpec(0.3f, 99, 5);
        checks.add(new Check("dropout forward", ROUNDING, s -> {
            Tensor y = s.out(x.length);
            s.backend().dropoutForward(dropout, s.in(x), y);
            return s.result(y);
        }));
        checks.add(new Check("dropout backward", ROUNDING, s -> {
            Tensor dx = s.out(x.length);
            s.backend().dropoutBackward(dropout, s.in(dy), dx);
            return s.result(dx);
        }));
    }

    private static void addOptimizers(List<Check> checks, SplittableRandom random) {
        float[] param = uniform(random, 509, -1, 1);
        float[] grad = uniform(random, param.length, -1, 1);
        float[] velocity = uniform(random, param.length, -0.1, 0.1);
        float[] m = uniform(random, param.length, -0.1, 0.1);
        float[] v = uniform(random, param.length, 0, 0.01);
        checks.add(new Check("sgdUpdate (Nesterov, weight decay)", ROUNDING, s -> {
            Tensor p = s.in(param);
            Tensor vel = s.in(velocity);
            Tensor g = s.in(grad);
            s.backend().sgdUpdate(new SgdStep(0.05f, 0.9f, 1e-4f, true), p, g, vel);
            return s.result(p, vel, g);
        }));
        checks.add(new Check("adamUpdate (AdamW, step 3)", ACCUMULATION, s -> {
            Tensor p = s.in(param);
            Tensor first = s.in(m);
            Tensor second = s.in(v);
            Tensor g = s.in(grad);
            s.backend().adamUpdate(new AdamStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 3), p, g, first, second);
            return s.result(p, first, second, g);
        }));
    }

    private static float[] uniform(SplittableRandom random, int n, double low, double high) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return values;
    }

    private static float[] integers(SplittableRandom random, int n, int bound) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(bound);
        }
        return values;
    }
}
