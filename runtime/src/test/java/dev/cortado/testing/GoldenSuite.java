package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Backend;
import dev.cortado.backend.TransferStats;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.layers.ActivationLayer;
import dev.cortado.nn.layers.AvgPool2d;
import dev.cortado.nn.layers.BatchNorm;
import dev.cortado.nn.layers.Conv2d;
import dev.cortado.nn.layers.GlobalAvgPool;
import dev.cortado.nn.layers.Linear;
import dev.cortado.nn.layers.MaxPool2d;
import dev.cortado.nn.loss.Loss;
import dev.cortado.nn.loss.MseLoss;
import dev.cortado.nn.loss.SoftmaxCrossEntropyLoss;
import dev.cortado.optim.Adam;
import dev.cortado.optim.GradientClipping;
import dev.cortado.optim.Optimizer;
import dev.cortado.optim.Sgd;
import dev.cortado.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares layers, losses, optimizers and a whole training step against values PyTorch 1.13 computed on the
 * same inputs and weights (fixtures written by {@code tools/make_golden.py}). A backend module runs it by
 * naming its device.
 */
public abstract class GoldenSuite extends BackendSuiteSupport {
    /** float32 results of different summation orders agree to about this much, relative to the values' scale. */
    private static final double TOLERANCE = 2e-5;

    @ParameterizedTest
    @ValueSource(strings = {"conv2d_stride2_pad1_dil2", "conv2d_5x5_pad2"})
    void conv2d(String name) {
        GoldenCase c = GoldenCase.load(name);
        int k = c.setting("kernel");
        Conv2d conv = new Conv2d(backend(), new Initializer(1), c.setting("in"), c.setting("out"), k, k,
                c.setting("stride"), c.setting("padding"), c.setting("dilation"), true);
        try (conv) {
            checkLayer(c, conv, Mode.TRAIN, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv2d_groups2", "conv2d_depthwise"})
    void groupedConv2d(String name) {
        GoldenCase c = GoldenCase.load(name);
        int k = c.setting("kernel");
        try (Conv2d conv = new Conv2d(backend(), new Initializer(1), c.setting("in"), c.setting("out"), k, k,
                c.setting("stride"), c.setting("padding"), c.setting("dilation"), c.setting("groups"), true)) {
            checkLayer(c, conv, Mode.TRAIN, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gelu", "silu"})
    void activation(String name) {
        GoldenCase c = GoldenCase.load(name);
        try (Layer layer = name.equals("gelu") ? ActivationLayer.gelu() : ActivationLayer.silu()) {
            checkLayer(c, layer, Mode.TRAIN, true);
        }
    }

    @Test
    void globalAvgPool() {
        GoldenCase c = GoldenCase.load("global_avgpool");
        try (Layer layer = new GlobalAvgPool()) {
            checkLayer(c, layer, Mode.TRAIN, true);
        }
    }

    /**
     * A residual block with each kind of shortcut, built from the spec that PyTorch's module was built from, in
     * training mode: output, every gradient, and the batch norms' running statistics after the pass.
     */
    @ParameterizedTest
    @ValueSource(strings = {"residual_identity", "residual_projection"})
    void residualBlock(String name) {
        GoldenCase c = GoldenCase.load(name);
        ModelSpec spec = ModelSpec.parse(c.settings().path("spec").toString());
        try (Sequential block = spec.build(backend(), 1)) {
            checkLayer(c, block, Mode.TRAIN, true);
            for (Map.Entry<String, Tensor> buffer : block.buffers().entrySet()) {
                if (!buffer.getKey().endsWith("num_batches_tracked")) {
                    assertClose(c, buffer.getKey(), buffer.getValue());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"maxpool2d_k3_s2_p1", "maxpool2d_k2", "avgpool2d_k3_s2_p1"})
    void pooling(String name) {
        GoldenCase c = GoldenCase.load(name);
        Layer pool = name.startsWith("max")
                ? new MaxPool2d(c.setting("kernel"), c.setting("stride"), c.setting("padding"))
                : new AvgPool2d(c.setting("kernel"), c.setting("stride"), c.setting("padding"));
        try (pool) {
            checkLayer(c, pool, Mode.TRAIN, true);
        }
    }

    @Test
    void linear() {
        GoldenCase c = GoldenCase.load("linear");
        try (Linear linear = new Linear(backend(), new Initializer(1), c.setting("in"), c.setting("out"))) {
            checkLayer(c, linear, Mode.TRAIN, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"batchnorm1d_train", "batchnorm1d_ncl_train", "batchnorm2d_train"})
    void batchNormTrain(String name) {
        GoldenCase c = GoldenCase.load(name);
        try (BatchNorm bn = batchNorm(c, name)) {
            c.copyInto("running_mean_before", bn.runningMean());
            c.copyInto("running_var_before", bn.runningVar());
            checkLayer(c, bn, Mode.TRAIN, true);
            assertClose(c, "running_mean", bn.runningMean());
            assertClose(c, "running_var", bn.runningVar());
            assertEquals(1f, bn.buffers().get("num_batches_tracked").item(), "num_batches_tracked");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"batchnorm1d_eval", "batchnorm1d_ncl_eval", "batchnorm2d_eval"})
    void batchNormEval(String name) {
        GoldenCase c = GoldenCase.load(name);
        try (BatchNorm bn = batchNorm(c, name)) {
            c.copyInto("running_mean", bn.runningMean());
            c.copyInto("running_var", bn.runningVar());
            checkLayer(c, bn, Mode.EVAL, false);
        }
    }

    private BatchNorm batchNorm(GoldenCase c, String name) {
        return name.startsWith("batchnorm1d") ? BatchNorm.of1d(backend(), c.setting("features"))
                : BatchNorm.of2d(backend(), c.setting("features"));
    }

    @Test
    void crossEntropy() {
        GoldenCase c = GoldenCase.load("cross_entropy");
        checkLoss(c, new SoftmaxCrossEntropyLoss(), "logits", "labels", "dlogits");
    }

    @Test
    void crossEntropyWithLabelSmoothing() {
        GoldenCase c = GoldenCase.load("cross_entropy_smoothing");
        checkLoss(c, new SoftmaxCrossEntropyLoss(c.floatSetting("label_smoothing")), "logits", "labels", "dlogits");
    }

    /**
     * PyTorch's {@code clip_grad_norm_} over two parameters, then an SGD-momentum step: once with a norm above the
     * limit, once below it (where the gradients pass unchanged). Clipping transfers nothing to or from the host.
     */
    @ParameterizedTest
    @ValueSource(strings = {"clip_grad_norm", "clip_grad_norm_unclipped"})
    void gradientClippingByGlobalNorm(String name) {
        GoldenCase c = GoldenCase.load(name);
        try (Parameter first = Parameter.of("first", c.upload(backend(), "param0"));
             Parameter second = Parameter.of("second", c.upload(backend(), "param1"))) {
            List<Parameter> params = List.of(first, second);
            c.copyInto("grad0", first.grad());
            c.copyInto("grad1", second.grad());
            try (Optimizer clipped = new GradientClipping(new Sgd(params, c.floatSetting("momentum"), 0f, false),
                    params, c.floatSetting("max_norm"))) {
                TransferStats before = backend().transfers();
                clipped.step(c.floatSetting("lr"));
                assertEquals(new TransferStats(0, 0, 0, 0), backend().transfers().since(before),
                        "host transfers of a clipped step");
                assertClose(c, "new0", first.value());
                assertClose(c, "new1", second.value());
            }
        }
    }

    @Test
    void meanSquaredError() {
        GoldenCase c = GoldenCase.load("mse");
        checkLoss(c, new MseLoss(), "output", "target", "doutput");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd_momentum", "sgd_nesterov", "adam", "adamw"})
    void optimizerSteps(String name) {
        GoldenCase c = GoldenCase.load(name);
        Tensor value = c.upload(backend(), "param");
        try (Parameter p = Parameter.of("param", value);
             Optimizer optimizer = optimizer(c, name, List.of(p))) {
            for (int step = 0; step < 3; step++) {
                c.copyInto("grad" + step, p.grad());
                optimizer.step(c.floatSetting("lr"));
                assertClose(c, "param" + step, p.value());
            }
        }
    }

    private static Optimizer optimizer(GoldenCase c, String name, List<Parameter> params) {
        if (name.startsWith("sgd")) {
            return new Sgd(params, c.floatSetting("momentum"), c.floatSetting("weight_decay"),
                    c.settings().path("nesterov").asBoolean());
        }
        return new Adam(params, c.floatSetting("beta1"), c.floatSetting("beta2"), c.floatSetting("eps"),
                c.floatSetting("weight_decay"), c.settings().path("decoupled").asBoolean());
    }

    /** Forward, loss, backward and one SGD-momentum update of a small LeNet-shaped model built from its spec. */
    @Test
    void wholeTrainingStep() {
        GoldenCase c = GoldenCase.load("small_convnet_sgd_step");
        ModelSpec spec = ModelSpec.parse(c.settings().path("spec").toString());
        try (Sequential model = spec.build(backend(), 1);
             Tensor x = c.upload(backend(), "x");
             Tensor labels = c.upload(backend(), "labels");
             Loss loss = new SoftmaxCrossEntropyLoss();
             Sgd sgd = new Sgd(model.parameters(), c.floatSetting("momentum"), 0f, false)) {
            for (Parameter p : model.parameters()) {
                c.copyInto(p.name(), p.value());
            }
            Tensor logits = model.forward(x, Mode.TRAIN);
            assertClose(c, "logits", logits);
            assertClose(c, "loss", loss.forward(logits, labels));
            model.backward(loss.backward(), false);
            for (Parameter p : model.parameters()) {
                assertClose(c, "d" + p.name(), p.grad());
            }
            sgd.step(c.floatSetting("lr"));
            for (Parameter p : model.parameters()) {
                assertClose(c, "new." + p.name(), p.value());
            }
        }
    }

    /** Loads the fixture's parameters into the layer, runs forward (and backward) and compares everything. */
    /** Runs the layer on the case's input and gradient; the caller closes the layer, after any checks of its own. */
    private void checkLayer(GoldenCase c, Layer layer, Mode mode, boolean backward) {
        try (Tensor x = c.upload(backend(), "x"); Tensor dy = c.upload(backend(), "dy")) {
            for (Parameter p : layer.parameters()) {
                c.copyInto(p.name(), p.value());
            }
            assertClose(c, "y", layer.forward(x, mode));
            if (backward) {
                assertClose(c, "dx", layer.backward(dy, true));
                for (Parameter p : layer.parameters()) {
                    assertClose(c, "d" + p.name(), p.grad());
                }
            }
        }
    }

    private void checkLoss(GoldenCase c, Loss loss, String output, String target, String gradient) {
        try (loss; Tensor out = c.upload(backend(), output); Tensor t = c.upload(backend(), target)) {
            assertClose(c, "loss", loss.forward(out, t));
            assertClose(c, gradient, loss.backward());
        }
    }

    /** Element-wise comparison scaled by the largest expected magnitude, naming the worst element. */
    private static void assertClose(GoldenCase c, String tensor, Tensor actual) {
        float[] expected = c.values(tensor);
        float[] got = actual.toArray();
        assertEquals(expected.length, got.length, () -> c.name() + ": " + tensor + " size");
        double scale = 1e-3;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        int worst = 0;
        double worstError = -1;
        for (int i = 0; i < got.length; i++) {
            double error = Double.isFinite(got[i]) ? Math.abs(got[i] - expected[i]) : Double.POSITIVE_INFINITY;
            if (error > worstError) {
                worstError = error;
                worst = i;
            }
        }
        int at = worst;
        double relative = worstError / scale;
        assertTrue(relative <= TOLERANCE, () -> c.name() + ": " + tensor + "[" + at + "] = " + got[at]
                + ", PyTorch " + expected[at] + " (error " + relative + " of the largest value; tolerance "
                + TOLERANCE + ")");
    }
}
