package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.UnaryOp;
import dev.cortado.random.Philox;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Memory ops, element-wise ops, activations, dropout and optimizer updates against plain Java. */
class OpenClElementwiseTest extends OpenClFixture {
    private static final int N = 1031;

    @Test
    void uploadDownloadCopyAndFillHonourOffsets() {
        float[] data = randoms(N);
        Tensor t = tensor(Shape.of(N), data);
        float[] host = new float[N + 5];
        Arrays.fill(host, -7f);
        backend.download(t, host, 3);
        assertEquals(-7f, host[2]);
        assertEquals(-7f, host[N + 3]);
        assertClose(data, Arrays.copyOfRange(host, 3, N + 3), 0, "download");

        Tensor copy = poisoned(Shape.of(N));
        backend.copy(t, copy);
        assertClose(data, copy.toArray(), 0, "copy");

        float[] source = randoms(N + 9);
        backend.upload(source, 9, copy);
        assertClose(Arrays.copyOfRange(source, 9, N + 9), copy.toArray(), 0, "upload at an offset");

        backend.fill(copy, 2.5f);
        float[] twos = new float[N];
        Arrays.fill(twos, 2.5f);
        assertClose(twos, copy.toArray(), 0, "fill");
        assertClose(data, t.toArray(), 0, "the source of copy is unchanged");
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void mapAppliesTheFunction(UnaryOp op) {
        boolean positiveOnly = op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.LOG;
        float[] x = positiveOnly ? randoms(N, 0.01f, 4f) : randoms(N, -3f, 3f);
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) {
            double v = x[i];
            expected[i] = (float) switch (op) {
                case SQUARE -> v * v;
                case SQRT -> Math.sqrt(v);
                case RSQRT -> 1 / Math.sqrt(v);
                case EXP -> Math.exp(v);
                case LOG -> Math.log(v);
                case NEG -> -v;
                case ABS -> Math.abs(v);
                case RECIPROCAL -> 1 / v;
            };
        }
        Tensor y = poisoned(Shape.of(N));
        backend.map(op, tensor(Shape.of(N), x), y);
        assertClose(expected, y.toArray(), 1e-5, "map " + op);
        Tensor inPlace = tensor(Shape.of(N), x);
        backend.map(op, inPlace, inPlace);
        assertClose(expected, inPlace.toArray(), 1e-5, "map " + op + " in place");
    }

    @Test
    void affineScalesAndShifts() {
        float[] x = randoms(N);
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) {
            expected[i] = -1.5f * x[i] + 0.25f;
        }
        Tensor y = poisoned(Shape.of(N));
        backend.affine(-1.5f, tensor(Shape.of(N), x), 0.25f, y);
        assertClose(expected, y.toArray(), 1e-6, "affine");
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void zipBroadcastsBAlongTheOtherAxes(BinaryOp op) {
        int[][] layouts = {{N, 1}, {7, 1}, {3, 5}, {1, 13}};
        for (int[] layout : layouts) {
            int bSize = layout[0];
            int bInner = layout[1];
            int n = bSize * bInner * 4;
            float[] a = randoms(n);
            float[] b = op == BinaryOp.DIV ? randoms(bSize, 0.5f, 2f) : randoms(bSize);
            if (op == BinaryOp.EQUAL) {
                for (int i = 0; i < n; i += 3) {
                    a[i] = b[(i / bInner) % bSize];
                }
            }
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                float u = a[i];
                float v = b[(i / bInner) % bSize];
                expected[i] = switch (op) {
                    case ADD -> u + v;
                    case SUB -> u - v;
                    case MUL -> u * v;
                    case DIV -> u / v;
                    case EQUAL -> u == v ? 1f : 0f;
                };
            }
            Tensor out = poisoned(Shape.of(n));
            backend.zip(op, tensor(Shape.of(n), a), tensor(Shape.of(bSize), b), bInner, out);
            assertClose(expected, out.toArray(), 1e-6, "zip " + op + " b=" + bSize + " bInner=" + bInner);
        }
    }

    @Test
    void zipRejectsASizeThatIsNotAMultiple() {
        assertThrows(IllegalArgumentException.class, () -> backend.zip(BinaryOp.ADD, backend.allocate(Shape.of(10)),
                backend.allocate(Shape.of(3)), 1, backend.allocate(Shape.of(10))));
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, 0.75f})
    void axpbyCombinesAndDoesNotReadYWhenBetaIsZero(float beta) {
        float[] x = randoms(N);
        float[] y = randoms(N);
        if (beta == 0f) {
            Arrays.fill(y, Float.NaN);
        }
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) {
            expected[i] = 2f * x[i] + (beta == 0f ? 0f : beta * y[i]);
        }
        Tensor ty = tensor(Shape.of(N), y);
        backend.axpby(2f, tensor(Shape.of(N), x), beta, ty);
        assertClose(expected, ty.toArray(), 1e-6, "axpby beta=" + beta);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationForwardAndBackward(Activation f) {
        float alpha = 0.1f;
        float[] x = randoms(N, -4f, 4f);
        float[] dy = randoms(N);
        float[] y = new float[N];
        float[] dx = new float[N];
        for (int i = 0; i < N; i++) {
            double v = x[i];
            double out = switch (f) {
                case RELU -> Math.max(v, 0);
                case LEAKY_RELU -> v > 0 ? v : alpha * v;
                case SIGMOID -> 1 / (1 + Math.exp(-v));
                case TANH -> Math.tanh(v);
            };
            y[i] = (float) out;
            dx[i] = (float) (dy[i] * switch (f) {
                case RELU -> v > 0 ? 1 : 0;
                case LEAKY_RELU -> v > 0 ? 1 : alpha;
                case SIGMOID -> out * (1 - out);
                case TANH -> 1 - out * out;
            });
        }
        Tensor tx = tensor(Shape.of(N), x);
        Tensor ty = poisoned(Shape.of(N));
        backend.activationForward(f, alpha, tx, ty);
        assertClose(y, ty.toArray(), 1e-5, "forward " + f);
        Tensor tdx = poisoned(Shape.of(N));
        backend.activationBackward(f, alpha, tx, ty, tensor(Shape.of(N), dy), tdx);
        assertClose(dx, tdx.toArray(), 1e-5, "backward " + f);
    }

    @Test
    void reluPassesNanThrough() {
        Tensor y = poisoned(Shape.of(3));
        backend.activationForward(Activation.RELU, 0f, tensor(Shape.of(3), new float[] {Float.NaN, -1f, 2f}), y);
        assertClose(new float[] {Float.NaN, 0f, 2f}, y.toArray(), 0, "relu of NaN, -1, 2");
    }

    @Test
    void activationBackwardAcceptsNullForTheUnusedTensor() {
        float[] x = randoms(N);
        float[] dy = randoms(N);
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) {
            expected[i] = x[i] > 0 ? dy[i] : 0f;
        }
        Tensor dx = poisoned(Shape.of(N));
        backend.activationBackward(Activation.RELU, 0f, tensor(Shape.of(N), x), null, tensor(Shape.of(N), dy), dx);
        assertClose(expected, dx.toArray(), 0, "relu backward without y");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 1031})
    void dropoutUsesExactlyThePhiloxMask(int n) {
        DropoutSpec spec = new DropoutSpec(0.3f, 0x1234_5678_9ABC_DEF0L, 0xFEDC_BA98_7654_3210L);
        float[] x = randoms(n, 0.5f, 1.5f);
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = Philox.uniform(spec.seed(), spec.stream(), i) >= spec.p() ? x[i] * spec.scale() : 0f;
        }
        Tensor y = poisoned(Shape.of(n));
        backend.dropoutForward(spec, tensor(Shape.of(n), x), y);
        assertClose(expected, y.toArray(), 0, "dropout forward n=" + n);
        Tensor dx = poisoned(Shape.of(n));
        backend.dropoutBackward(spec, tensor(Shape.of(n), x), dx);
        assertClose(expected, dx.toArray(), 0, "dropout backward n=" + n);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "momentum", "nesterov"})
    void sgdUpdateMatchesPyTorch(String variant) {
        SgdStep step = new SgdStep(0.05f, variant.equals("plain") ? 0f : 0.9f, 0.01f, variant.equals("nesterov"));
        float[] p = randoms(N);
        float[] g = randoms(N);
        float[] v = randoms(N);
        float[] pExpected = new float[N];
        float[] vExpected = v.clone();
        for (int i = 0; i < N; i++) {
            float grad = g[i] + step.weightDecay() * p[i];
            if (step.momentum() != 0f) {
                vExpected[i] = step.momentum() * v[i] + grad;
                grad = step.nesterov() ? grad + step.momentum() * vExpected[i] : vExpected[i];
            }
            pExpected[i] = p[i] - step.lr() * grad;
        }
        Tensor tp = tensor(Shape.of(N), p);
        Tensor tv = step.momentum() == 0f ? null : tensor(Shape.of(N), v);
        backend.sgdUpdate(step, tp, tensor(Shape.of(N), g), tv);
        assertClose(pExpected, tp.toArray(), 1e-6, "sgd param " + variant);
        if (tv != null) {
            assertClose(vExpected, tv.toArray(), 1e-6, "sgd velocity " + variant);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void adamUpdateMatchesPyTorch(boolean decoupled) {
        AdamStep step = new AdamStep(0.01f, 0.9f, 0.999f, 1e-8f, 0.05f, decoupled, 3);
        float[] p = randoms(N);
        float[] g = randoms(N);
        float[] m = randoms(N, -0.1f, 0.1f);
        float[] v = randoms(N, 0f, 0.1f);
        float[] pe = new float[N];
        float[] me = new float[N];
        float[] ve = new float[N];
        for (int i = 0; i < N; i++) {
            double param = p[i];
            double grad = g[i];
            if (decoupled) {
                param *= 1 - step.lr() * step.weightDecay();
            } else {
                grad += step.weightDecay() * param;
            }
            me[i] = (float) (step.beta1() * m[i] + (1 - step.beta1()) * grad);
            ve[i] = (float) (step.beta2() * v[i] + (1 - step.beta2()) * grad * grad);
            double mHat = me[i] / (1 - Math.pow(step.beta1(), step.step()));
            double vHat = ve[i] / (1 - Math.pow(step.beta2(), step.step()));
            pe[i] = (float) (param - step.lr() * mHat / (Math.sqrt(vHat) + step.eps()));
        }
        Tensor tp = tensor(Shape.of(N), p);
        Tensor tm = tensor(Shape.of(N), m);
        Tensor tv = tensor(Shape.of(N), v);
        backend.adamUpdate(step, tp, tensor(Shape.of(N), g), tm, tv);
        assertClose(pe, tp.toArray(), 1e-5, "adam param");
        assertClose(me, tm.toArray(), 1e-5, "adam m");
        assertClose(ve, tv.toArray(), 1e-5, "adam v");
    }
}
