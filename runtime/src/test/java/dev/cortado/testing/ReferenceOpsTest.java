package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.UnaryOp;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Hand-worked examples for the reference the conformance suite trusts. */
class ReferenceOpsTest {
    private static final float EPS = 1e-6f;

    @Test
    void gemmWithTransposesAlphaAndBeta() {
        float[] a = {1, 2, 3, 4, 5, 6}; // 2x3
        float[] b = {7, 8, 9, 10, 11, 12}; // 3x2
        assertArrayEquals(new float[] {58, 64, 139, 154},
                ReferenceOps.gemm(GemmSpec.of(false, false, 2, 2, 3), a, b, new float[4]));
        // A stored 3x2 and transposed: op(A) = [[1,3,5],[2,4,6]]; B stored 2x3 and transposed: op(B) = [[7,10],...]
        assertArrayEquals(new float[] {1 * 7 + 3 * 8 + 5 * 9, 1 * 10 + 3 * 11 + 5 * 12,
                        2 * 7 + 4 * 8 + 6 * 9, 2 * 10 + 4 * 11 + 6 * 12},
                ReferenceOps.gemm(GemmSpec.of(true, true, 2, 2, 3), a, b, new float[4]));
        assertArrayEquals(new float[] {2 * 58 - 1, 2 * 64 - 2, 2 * 139 - 3, 2 * 154 - 4},
                ReferenceOps.gemm(GemmSpec.of(false, false, 2, 2, 3).scaled(2, -1), a, b, new float[] {1, 2, 3, 4}));
        float[] nanC = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        assertArrayEquals(new float[] {58, 64, 139, 154},
                ReferenceOps.gemm(GemmSpec.of(false, false, 2, 2, 3), a, b, nanC), "beta 0 ignores C");
    }

    @Test
    void batchedGemmWithSharedAAndGapsInC() {
        GemmSpec spec = GemmSpec.of(false, false, 1, 1, 2).batched(2, 0, 2, 3);
        float[] c = ReferenceOps.gemm(spec, new float[] {1, 2}, new float[] {3, 4, 5, 6}, new float[] {0, 9, 9, 0});
        assertArrayEquals(new float[] {11, 9, 9, 17}, c);
    }

    @Test
    void im2colOfAPaddedImage() {
        // One 2x2 image [[1,2],[3,4]], 2x2 kernel, padding 1: a 3x3 output, 4 rows of 9 columns.
        ConvGeometry g = new ConvGeometry(1, 1, 2, 2, 2, 2, 1, 1, 1);
        float[] columns = ReferenceOps.im2col(g, new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {
            0, 0, 0, 0, 1, 2, 0, 3, 4, // kernel (0,0)
            0, 0, 0, 1, 2, 0, 3, 4, 0, // kernel (0,1)
            0, 1, 2, 0, 3, 4, 0, 0, 0, // kernel (1,0)
            1, 2, 0, 3, 4, 0, 0, 0, 0}, columns); // kernel (1,1)
    }

    @Test
    void im2colWithStrideDilationAndChannels() {
        // Two channels of a 1x5 row, 1x2 kernel with dilation 2 and stride 2: outputs at x = 0 and 2.
        ConvGeometry g = new ConvGeometry(1, 2, 1, 5, 1, 2, 2, 0, 2);
        float[] columns = ReferenceOps.im2col(g, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertArrayEquals(new float[] {1, 3, 3, 5, 6, 8, 8, 10}, columns);
    }

    @Test
    void col2imCountsHowOftenEachPixelIsCopied() {
        ConvGeometry g = new ConvGeometry(1, 1, 3, 3, 2, 2, 1, 0, 1);
        float[] ones = new float[g.columnRows() * (int) g.columnCols()];
        Arrays.fill(ones, 1f);
        assertArrayEquals(new float[] {1, 2, 1, 2, 4, 2, 1, 2, 1}, ReferenceOps.col2im(g, ones));
    }

    @Test
    void swapLeadingAxes() {
        // (2, 3, 1): rows of a 2x3 matrix become columns.
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6},
                ReferenceOps.swapLeadingAxes(2, 3, 1, new float[] {1, 2, 3, 4, 5, 6}));
        // (1, 2, 2) keeps inner pairs together.
        assertArrayEquals(new float[] {1, 2, 3, 4}, ReferenceOps.swapLeadingAxes(1, 2, 2, new float[] {1, 2, 3, 4}));
    }

    @Test
    void elementwiseOps() {
        assertArrayEquals(new float[] {2, 0.5f}, ReferenceOps.map(UnaryOp.SQRT, new float[] {4, 0.25f}));
        assertArrayEquals(new float[] {0.5f, 2}, ReferenceOps.map(UnaryOp.RSQRT, new float[] {4, 0.25f}));
        assertArrayEquals(new float[] {-0.5f}, ReferenceOps.map(UnaryOp.RECIPROCAL, new float[] {-2}));
        assertArrayEquals(new float[] {1, 0}, ReferenceOps.map(UnaryOp.LOG, new float[] {(float) Math.E, 1}), EPS);
        assertArrayEquals(new float[] {7, -2}, ReferenceOps.affine(3, new float[] {2, -1}, 1));
        // b = [10, 20] per block of bInner = 2, repeating: a of 8 floats.
        assertArrayEquals(new float[] {11, 12, 23, 24, 15, 16, 27, 28},
                ReferenceOps.zip(BinaryOp.ADD, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new float[] {10, 20}, 2));
        assertArrayEquals(new float[] {1, 0, 1},
                ReferenceOps.zip(BinaryOp.EQUAL, new float[] {3, 4, 3}, new float[] {3}, 1));
        assertArrayEquals(new float[] {5, 7}, ReferenceOps.axpby(2, new float[] {1, 2}, 1, new float[] {3, 3}));
        assertArrayEquals(new float[] {2, 4},
                ReferenceOps.axpby(2, new float[] {1, 2}, 0, new float[] {Float.NaN, Float.NaN}));
    }

    @Test
    void reductions() {
        // (outer 2, length 3, inner 2)
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertArrayEquals(new float[] {9, 12, 27, 30}, ReferenceOps.sum(x, 2, 3, 2, 1, 0, new float[4]));
        assertArrayEquals(new float[] {3.5f, 4, 12.5f, 13},
                ReferenceOps.sum(x, 2, 3, 2, 0.5f, -1, new float[] {1, 2, 1, 2}));
        assertArrayEquals(new float[] {1, 0}, ReferenceOps.argmax(new float[] {1, 5, 5, 2, 2, 2}, 2, 3),
                "the first of equal maxima");
    }

    @Test
    void softmaxCrossEntropy() {
        float ln3 = (float) Math.log(3);
        ReferenceOps.SoftmaxCrossEntropy out = ReferenceOps.softmaxCrossEntropyForward(
                new float[] {0, ln3, 1000, 1000 + ln3}, new float[] {1, 0}, 2);
        // 1000 + ln 3 rounds to a float up to 3e-5 off (half an ulp at 1000), which moves the second row by as much.
        assertArrayEquals(new float[] {0.25f, 0.75f, 0.25f, 0.75f}, out.probs(), 1e-4f);
        assertArrayEquals(new float[] {(float) -Math.log(0.75), (float) -Math.log(0.25)}, out.rowLoss(), 1e-4f);
        assertArrayEquals(new float[] {0.125f, -0.125f},
                ReferenceOps.softmaxCrossEntropyBackward(new float[] {0.25f, 0.75f}, new float[] {1}, 0.5f, 2));
        // Smoothing 0.2 over 2 classes: targets 0.1 and 0.9, so the loss is -(0.1 ln 0.25 + 0.9 ln 0.75).
        assertArrayEquals(new float[] {(float) -(0.1 * Math.log(0.25) + 0.9 * Math.log(0.75))},
                ReferenceOps.softmaxCrossEntropyForward(new float[] {0, ln3}, new float[] {1}, 0.2f, 2).rowLoss(),
                1e-6f);
        assertArrayEquals(new float[] {0.5f * (0.25f - 0.1f), 0.5f * (0.75f - 0.9f)},
                ReferenceOps.softmaxCrossEntropyBackward(new float[] {0.25f, 0.75f}, new float[] {1}, 0.2f, 0.5f, 2),
                1e-7f);
    }

    @Test
    void erfcMatchesTabulatedValues() {
        // Values of erfc from Abramowitz and Stegun, table 7.1, and erfc(-z) = 2 - erfc(z).
        assertEquals(1, ReferenceOps.erfc(0), 1e-15);
        assertEquals(0.4795001221869535, ReferenceOps.erfc(0.5), 1e-15);
        assertEquals(1.8427007929497149, ReferenceOps.erfc(-1), 1e-15);
        assertEquals(3.389485352468927e-2, ReferenceOps.erfc(1.5), 1e-16);
        assertEquals(4.677734981047266e-3, ReferenceOps.erfc(2), 1e-17);
        assertEquals(2.209049699858544e-5, ReferenceOps.erfc(3), 1e-19);
        assertEquals(1.5374597944280349e-12, ReferenceOps.erfc(5), 1e-26);
    }

    @Test
    void pooling() {
        // One 3x3 plane, kernel 2, stride 1, no padding.
        float[] x = {1, 5, 2, 3, 4, 9, 0, 8, 7};
        PoolSpec max = new PoolSpec(PoolSpec.Kind.MAX, 1, 1, 3, 3, 2, 1, 0);
        assertArrayEquals(new float[] {5, 9, 8, 9}, ReferenceOps.poolForward(max, x));
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 6, 0, 3, 0},
                ReferenceOps.poolBackward(max, x, new float[] {1, 2, 3, 4}));
        PoolSpec avg = new PoolSpec(PoolSpec.Kind.AVG, 1, 1, 3, 3, 2, 1, 0);
        assertArrayEquals(new float[] {13 / 4f, 20 / 4f, 15 / 4f, 28 / 4f}, ReferenceOps.poolForward(avg, x));
        // Padding 1, kernel 2, stride 2 on a 1x1 plane: one window of which three positions are padding.
        PoolSpec padded = new PoolSpec(PoolSpec.Kind.AVG, 1, 1, 1, 1, 2, 2, 1);
        assertArrayEquals(new float[] {2}, ReferenceOps.poolForward(padded, new float[] {8}), "padding counts as 0");
        assertArrayEquals(new float[] {1}, ReferenceOps.poolBackward(padded, new float[] {8}, new float[] {4}));
        PoolSpec tie = new PoolSpec(PoolSpec.Kind.MAX, 1, 1, 2, 2, 2, 2, 0);
        assertArrayEquals(new float[] {0, 3, 0, 0}, ReferenceOps.poolBackward(tie, new float[] {1, 4, 4, 4},
                new float[] {3}), "the first maximum in row-major order gets the gradient");
    }

    @Test
    void activations() {
        float[] x = {-2, 3};
        assertArrayEquals(new float[] {0, 3}, ReferenceOps.activationForward(Activation.RELU, 0.1f, x));
        assertArrayEquals(new float[] {-0.2f, 3}, ReferenceOps.activationForward(Activation.LEAKY_RELU, 0.1f, x));
        assertArrayEquals(new float[] {0.5f}, ReferenceOps.activationForward(Activation.SIGMOID, 0, new float[] {0}));
        float[] dy = {5, 7};
        assertArrayEquals(new float[] {0, 7}, ReferenceOps.activationBackward(Activation.RELU, 0.1f, x, x, dy));
        assertArrayEquals(new float[] {0.5f, 7},
                ReferenceOps.activationBackward(Activation.LEAKY_RELU, 0.1f, x, x, dy), EPS);
        assertArrayEquals(new float[] {5 * 0.25f},
                ReferenceOps.activationBackward(Activation.SIGMOID, 0, new float[] {0}, new float[] {0.5f},
                        new float[] {5}));
        assertArrayEquals(new float[] {5 * 0.75f},
                ReferenceOps.activationBackward(Activation.TANH, 0, new float[] {9}, new float[] {0.5f},
                        new float[] {5}));
        // GELU(x) = x Phi(x), Phi(1) = 0.8413447460685429; its gradient Phi(x) + x phi(x), phi(1) = 0.2419707245.
        float[] ones = {1, -1};
        assertArrayEquals(new float[] {0.8413447f, -0.15865525f},
                ReferenceOps.activationForward(Activation.GELU, 0, ones), 1e-7f);
        assertArrayEquals(new float[] {0.8413447f + 0.24197072f, 0.15865525f - 0.24197072f},
                ReferenceOps.activationBackward(Activation.GELU, 0, ones, null, new float[] {1, 1}), 2e-7f);
        // SiLU(x) = x sigmoid(x): sigmoid(1) = 0.7310585786300049; its gradient s (1 + x (1 - s)).
        double s = 0.7310585786300049;
        assertArrayEquals(new float[] {(float) s, (float) (-(1 - s))},
                ReferenceOps.activationForward(Activation.SILU, 0, ones), 1e-7f);
        assertArrayEquals(new float[] {(float) (s * (2 - s)), (float) ((1 - s) * (1 - s))},
                ReferenceOps.activationBackward(Activation.SILU, 0, ones, null, new float[] {1, 1}), 1e-7f);
    }

    @Test
    void dropoutKeepsWhatPhiloxKeepsAndScales() {
        DropoutSpec spec = new DropoutSpec(0.75f, 12345, 6);
        float[] x = new float[4000];
        Arrays.fill(x, 3f);
        float[] y = ReferenceOps.dropout(spec, x);
        int kept = 0;
        for (int i = 0; i < y.length; i++) {
            assertEquals(ReferenceOps.keeps(spec, i) ? 12f : 0f, y[i]);
            kept += y[i] != 0 ? 1 : 0;
        }
        assertEquals(1000, kept, 100, "about a quarter is kept");
        assertArrayEquals(x, ReferenceOps.dropout(new DropoutSpec(0, 1, 2), x), "p = 0 keeps everything");
    }

    @Test
    void sgdSteps() {
        float[] p = {1};
        float[] g = {0.5f};
        assertArrayEquals(new float[] {0.95f}, ReferenceOps.sgdUpdate(new SgdStep(0.1f, 0, 0, false), p, g, null)
                .param());
        assertNull(ReferenceOps.sgdUpdate(new SgdStep(0.1f, 0, 0, false), p, g, null).first());
        // weight decay 0.1: g = 0.6; v = 0.9*2 + 0.6 = 2.4; plain: p = 1 - 0.1*2.4; nesterov: p = 1 - 0.1*(0.6+0.9*2.4)
        ReferenceOps.Updated plain = ReferenceOps.sgdUpdate(new SgdStep(0.1f, 0.9f, 0.1f, false), p, g,
                new float[] {2});
        assertArrayEquals(new float[] {2.4f}, plain.first(), EPS);
        assertArrayEquals(new float[] {0.76f}, plain.param(), EPS);
        ReferenceOps.Updated nesterov = ReferenceOps.sgdUpdate(new SgdStep(0.1f, 0.9f, 0.1f, true), p, g,
                new float[] {2});
        assertArrayEquals(new float[] {1 - 0.1f * (0.6f + 0.9f * 2.4f)}, nesterov.param(), EPS);
    }

    @Test
    void adamSteps() {
        // First step from zero moments: m_hat = g and v_hat = g^2, so p moves by lr * g / (|g| + eps).
        AdamStep first = new AdamStep(0.01f, 0.9f, 0.999f, 1e-8f, 0, false, 1);
        ReferenceOps.Updated one = ReferenceOps.adamUpdate(first, new float[] {1, 1}, new float[] {0.5f, -2},
                new float[2], new float[2]);
        assertArrayEquals(new float[] {0.99f, 1.01f}, one.param(), EPS);
        assertArrayEquals(new float[] {0.05f, -0.2f}, one.first(), EPS);
        float oneMinusBeta2 = 1 - 0.999f;
        assertArrayEquals(new float[] {oneMinusBeta2 * 0.25f, oneMinusBeta2 * 4}, one.second(), 1e-10f);
        // Adam adds weight decay to the gradient; AdamW shrinks the parameter: with g = 0 and p = 2 they differ.
        AdamStep adam = new AdamStep(0.1f, 0.5f, 0.5f, 0, 0.25f, false, 2);
        float[] fromAdam = ReferenceOps.adamUpdate(adam, new float[] {2}, new float[] {0}, new float[] {1},
                new float[] {1}).param();
        // g = 0.5; m = 0.75; v = 0.625; m_hat = 0.75/0.75 = 1; v_hat = 0.625/0.75; p = 2 - 0.1/sqrt(v_hat)
        assertArrayEquals(new float[] {(float) (2 - 0.1 / Math.sqrt(0.625 / 0.75))}, fromAdam, EPS);
        AdamStep adamW = new AdamStep(0.1f, 0.5f, 0.5f, 0, 0.25f, true, 2);
        float[] fromAdamW = ReferenceOps.adamUpdate(adamW, new float[] {2}, new float[] {0}, new float[] {1},
                new float[] {1}).param();
        // p = 2 * (1 - 0.025); m = 0.5, v = 0.5; m_hat = 0.5/0.75, v_hat = 0.5/0.75
        assertArrayEquals(new float[] {(float) (1.95 - 0.1 * (0.5 / 0.75) / Math.sqrt(0.5 / 0.75))}, fromAdamW,
                EPS);
    }
}
