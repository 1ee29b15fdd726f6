package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cortado.backend.Backend;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.loss.Loss;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Compares the gradients that layers and losses compute with central finite differences on float32 tensors.
 *
 * <p>A layer is checked through the objective {@code L = sum(y * r)} for a fixed random {@code r}, accumulated in
 * double on the host, so the check covers every output element with a different weight (a plain sum would hide
 * errors that cancel, as in batch norm, whose outputs always sum to the same value). Each input and parameter
 * element is moved by {@code +-eps} in turn and {@code (L+ - L-) / 2 eps} compared with the analytic value.
 *
 * <p>With float32 activations, L is exact only to about 1e-7 of its terms, so eps is large (1e-2) and the
 * tolerance mixes a relative part (a few per cent, covering the O(eps^2) truncation error) with an absolute
 * part (covering rounding in L). Inputs must keep every kink (ReLU at 0, the winner of a max-pool window)
 * further than eps away, or the check is told to skip elements where the one-sided differences disagree.
 */
public final class GradientChecker {
    /** The default finite-difference step. */
    public static final double EPS = 1e-2;

    private final Backend backend;
    private final SplittableRandom random;
    private double step = EPS;
    private double relativeTolerance = 1e-2;
    private double absoluteTolerance = 1e-3;
    private double allowedKinkFraction;
    private Runnable beforeForward = () -> { };

    public GradientChecker(Backend backend, long seed) {
        this.backend = backend;
        this.random = new SplittableRandom(seed);
    }

    /** Sets the finite-difference step. */
    public GradientChecker step(double eps) {
        this.step = eps;
        return this;
    }

    /** Sets the tolerance: an element passes when {@code |numeric - analytic| <= absolute + relative * max}. */
    public GradientChecker tolerance(double relative, double absolute) {
        this.relativeTolerance = relative;
        this.absoluteTolerance = absolute;
        return this;
    }

    /**
     * Lets up to this fraction of elements differ where the forward and backward one-sided differences disagree,
     * i.e. where a step of eps crosses a kink somewhere inside the model.
     */
    public GradientChecker allowKinks(double fraction) {
        this.allowedKinkFraction = fraction;
        return this;
    }

    /** Runs before every forward pass, e.g. to rewind a dropout layer so every pass draws the same mask. */
    public GradientChecker beforeForward(Runnable action) {
        this.beforeForward = action;
        return this;
    }

    /** Uniform values in {@code [low, high)}. */
    public float[] uniform(int n, double low, double high) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return values;
    }

    /** Values with random signs and magnitudes in {@code [0.1, 1)}: at least 10 eps from ReLU's kink at 0. */
    public float[] awayFromZero(int n) {
        float[] values = uniform(n, 0.1, 1.0);
        for (int i = 0; i < n; i++) {
            if (random.nextBoolean()) {
                values[i] = -values[i];
            }
        }
        return values;
    }

    /** A random permutation of {@code (k - n/2) * spacing}: no two values closer than {@code spacing}. */
    public float[] distinct(int n, double spacing) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) ((i - n / 2) * spacing);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        return values;
    }

    /** Checks the input gradient and every parameter gradient of a layer at input {@code x}. */
    public void checkLayer(Layer layer, Shape shape, float[] x) {
        try (Tensor input = backend.upload(shape, x)) {
            List<Parameter> params = layer.parameters();
            params.forEach(p -> backend.fill(p.grad(), 0f));
            beforeForward.run();
            Tensor y = layer.forward(input, Mode.TRAIN);
            assertEquals(layer.outputShape(shape), y.shape(), layer.describe() + ": forward output shape");
            float[] r = uniform(Math.toIntExact(y.size()), -1, 1);
            try (Tensor weights = backend.upload(y.shape(), r)) {
                Tensor dx = layer.backward(weights, true);
                assertEquals(shape, dx.shape(), layer.describe() + ": input gradient shape");
                float[] analyticInput = dx.toArray();
                List<float[]> analyticParams = new ArrayList<>();
                for (Parameter p : params) {
                    analyticParams.add(p.grad().toArray());
                }
                checkAccumulation(layer, weights, analyticParams);

                Objective objective = () -> {
                    beforeForward.run();
                    return dot(layer.forward(input, Mode.TRAIN).toArray(), r);
                };
                compare(layer.describe() + " input", analyticInput, numeric(objective, input, x.clone()));
                for (int i = 0; i < params.size(); i++) {
                    Parameter p = params.get(i);
                    float[] values = p.value().toArray();
                    compare(layer.describe() + " " + p.name(), analyticParams.get(i),
                            numeric(objective, p.value(), values.clone()));
                    backend.upload(values, 0, p.value());
                }
            }
        }
    }

    /** Backward adds into parameter gradients: a second backward pass must double them. */
    private void checkAccumulation(Layer layer, Tensor dy, List<float[]> once) {
        List<Parameter> params = layer.parameters();
        if (params.isEmpty()) {
            return;
        }
        layer.backward(dy, false);
        for (int i = 0; i < params.size(); i++) {
            float[] twice = params.get(i).grad().toArray();
            float[] expected = once.get(i);
            for (int j = 0; j < twice.length; j++) {
                double want = 2.0 * expected[j];
                if (Math.abs(twice[j] - want) > 1e-5 * (1 + Math.abs(want))) {
                    fail(layer.describe() + " " + params.get(i).name() + "[" + j + "]: a second backward pass gave "
                            + twice[j] + ", expected twice the first, " + want
                            + " (parameter gradients must accumulate)");
                }
            }
        }
    }

    /** Checks a loss's gradient with respect to its output at {@code output} for a fixed target. */
    public void checkLoss(Loss loss, Shape shape, float[] output, Tensor target) {
        try (Tensor out = backend.upload(shape, output)) {
            Tensor value = loss.forward(out, target);
            assertEquals(1, value.size(), loss.describe() + ": the loss must be one element");
            Tensor grad = loss.backward();
            assertEquals(shape, grad.shape(), loss.describe() + ": gradient shape");
            float[] analytic = grad.toArray();
            Objective objective = () -> loss.forward(out, target).item();
            compare(loss.describe() + " output", analytic, numeric(objective, out, output.clone()));
        }
    }

    /** The value of the objective at the current contents of the tensors it reads. */
    @FunctionalInterface
    private interface Objective {
        double value();
    }

    /** Finite differences with respect to each element of a tensor. */
    private record Numeric(double[] central, boolean[] kink) {
    }

    /**
     * Central differences of the objective with respect to each element of {@code tensor}, whose contents are
     * {@code values}; restores the tensor. When kinks are allowed, also marks the elements where the forward and
     * backward one-sided differences disagree.
     */
    private Numeric numeric(Objective objective, Tensor tensor, float[] values) {
        double base = allowedKinkFraction > 0 ? objective.value() : Double.NaN;
        double[] central = new double[values.length];
        boolean[] kink = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            float original = values[i];
            float up = (float) (original + step);
            float down = (float) (original - step);
            values[i] = up;
            backend.upload(values, 0, tensor);
            double plus = objective.value();
            values[i] = down;
            backend.upload(values, 0, tensor);
            double minus = objective.value();
            values[i] = original;
            // The steps actually taken, in float, are not exactly eps.
            central[i] = (plus - minus) / ((double) up - down);
            if (allowedKinkFraction > 0) {
                double forward = (plus - base) / ((double) up - original);
                double backward = (base - minus) / ((double) original - down);
                kink[i] = !within(forward, backward);
            }
        }
        backend.upload(values, 0, tensor);
        return new Numeric(central, kink);
    }

    private boolean within(double a, double b) {
        return Math.abs(a - b) <= absoluteTolerance + relativeTolerance * Math.max(Math.abs(a), Math.abs(b));
    }

    /** Fails naming the elements where the analytic gradient differs, except at kinks (up to the allowed share). */
    private void compare(String what, float[] analytic, Numeric numeric) {
        double[] central = numeric.central();
        assertEquals(central.length, analytic.length, what + ": gradient size");
        StringBuilder failures = new StringBuilder();
        int failed = 0;
        int kinks = 0;
        for (int i = 0; i < central.length; i++) {
            if (Float.isFinite(analytic[i]) && within(analytic[i], central[i])) {
                continue;
            }
            if (numeric.kink()[i]) {
                kinks++;
            } else if (failed++ < 8) {
                failures.append(String.format("%n  [%d] analytic %.6g, numeric %.6g", i, analytic[i], central[i]));
            }
        }
        if (failed > 0) {
            fail(what + " gradient: " + failed + " of " + central.length + " elements differ from finite "
                    + "differences (eps " + step + ", relative tolerance " + relativeTolerance + ", absolute "
                    + absoluteTolerance + "):" + failures);
        }
        assertTrue(kinks <= allowedKinkFraction * central.length, what + ": " + kinks + " of " + central.length
                + " elements differ and sit on a kink, more than the " + allowedKinkFraction + " allowed");
    }

    private static double dot(float[] y, float[] r) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += (double) y[i] * r[i];
        }
        return sum;
    }
}
