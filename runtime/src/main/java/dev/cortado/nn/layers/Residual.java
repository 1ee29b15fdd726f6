package dev.cortado.nn.layers;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.ShapeMismatchException;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A residual block, {@code activation(main(x) + shortcut(x))}, as in He et al. (2016): the main branch is a few
 * layers, the shortcut the identity (when it is null) or layers of its own, such as a strided 1x1 convolution and a
 * batch norm where the main branch changes the shape. Backward sends the gradient of the sum into both branches
 * and adds the input gradients they return. A ReLU activation runs in the sum's pass
 * ({@link dev.cortado.backend.Backend#addRelu}), its gradient taken from that output.
 *
 * <p>Parameters and buffers are named {@code main.<i>.<name>} and {@code shortcut.<i>.<name>}, as the state
 * dictionary of a PyTorch module with {@code main} and {@code shortcut} {@code nn.Sequential}s names them.
 */
public final class Residual implements Layer {
    private final Sequential main;
    private final Sequential shortcut;
    private final Layer activation;
    /** The activation where it is a ReLU, which then runs in the sum's pass; else null. */
    private final ActivationLayer reluOfSum;
    private final TensorSlot sum = new TensorSlot();
    private final TensorSlot inputGrad = new TensorSlot();
    /** The output of the last training forward pass where the ReLU ran in the sum's pass: its gradient reads it. */
    private Tensor trainedOutput;

    /**
     * @param main the main branch
     * @param shortcut the shortcut's layers, or null for the identity
     * @param activation applied to the sum
     */
    public Residual(Sequential main, Sequential shortcut, Layer activation) {
        this.main = main;
        this.shortcut = shortcut;
        this.activation = activation;
        this.reluOfSum = activation instanceof ActivationLayer a && a.isRelu() ? a : null;
    }

    @Override
    public String describe() {
        return "Residual(" + main.describe() + " + " + (shortcut == null ? "identity" : shortcut.describe())
                + " -> " + activation.describe() + ")";
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape fromMain = main.outputShape(input);
        Shape fromShortcut = shortcut == null ? input : shortcut.outputShape(input);
        if (!fromMain.equals(fromShortcut)) {
            throw new ShapeMismatchException(describe(), "an input whose main branch and shortcut give one shape ("
                    + fromMain + " vs " + fromShortcut + ")", input);
        }
        return activation.outputShape(fromMain);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        outputShape(x.shape());
        Backend backend = x.backend();
        Tensor fromMain = main.forward(x, mode);
        Tensor fromShortcut = shortcut == null ? x : shortcut.forward(x, mode);
        Tensor total = sum.get(backend, fromMain.shape());
        if (reluOfSum != null) {
            backend.addRelu(fromMain, fromShortcut, total);
            trainedOutput = mode == Mode.TRAIN ? total : null;
            return total;
        }
        backend.zip(BinaryOp.ADD, fromMain, fromShortcut, 1, total);
        return activation.forward(total, mode);
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Tensor dSum = reluOfSum != null
                ? reluOfSum.reluBackwardFromOutput(Layers.requireForward(trainedOutput, this), dy)
                : activation.backward(dy, true);
        Tensor dxMain = main.backward(dSum, inputGradient);
        Tensor dxShortcut = shortcut == null ? dSum : shortcut.backward(dSum, inputGradient);
        if (!inputGradient) {
            return null;
        }
        Backend backend = dy.backend();
        Tensor dx = inputGrad.get(backend, dxMain.shape());
        backend.zip(BinaryOp.ADD, dxMain, dxShortcut, 1, dx);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Parameter p : main.parameters()) {
            all.add(new Parameter("main." + p.name(), p.value(), p.grad()));
        }
        if (shortcut != null) {
            for (Parameter p : shortcut.parameters()) {
                all.add(new Parameter("shortcut." + p.name(), p.value(), p.grad()));
            }
        }
        return all;
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        main.buffers().forEach((name, t) -> all.put("main." + name, t));
        if (shortcut != null) {
            shortcut.buffers().forEach((name, t) -> all.put("shortcut." + name, t));
        }
        return all;
    }

    @Override
    public Layer evaluationCopy() {
        return new Residual(main.evaluationCopy(), shortcut == null ? null : shortcut.evaluationCopy(),
                activation.evaluationCopy());
    }

    @Override
    public void close() {
        main.close();
        if (shortcut != null) {
            shortcut.close();
        }
        activation.close();
        sum.close();
        inputGrad.close();
        trainedOutput = null;
    }
}
