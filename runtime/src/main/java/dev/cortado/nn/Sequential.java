package dev.cortado.nn;

import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Layers applied one after the other. Parameters and buffers are named as PyTorch's {@code nn.Sequential} names
 * them ({@code 0.weight}, {@code 3.running_mean}), so state dictionaries line up between the two. Adjacent layers
 * that fuse ({@link Layer#fusedWith}) run as their fusion, with the same results.
 */
public final class Sequential implements Layer {
    private final List<Layer> layers;
    /** What the passes run, in forward order: the layers, each fusing pair as one step. */
    private final List<Step> steps;
    /** The index of the first layer with parameters (the size when none has): no gradient is needed below it. */
    private final int firstTrainable;
    private volatile BooleanSupplier stopPasses = () -> false;

    public Sequential(List<Layer> layers) {
        this.layers = List.copyOf(layers);
        int first = 0;
        while (first < this.layers.size() && this.layers.get(first).parameters().isEmpty()) {
            first++;
        }
        this.firstTrainable = first;
        this.steps = plan(this.layers);
    }

    /** A layer, or a fusion of layers {@code first..last}, run as one. */
    private record Step(int first, int last, Layer layer) {
    }

    private static List<Step> plan(List<Layer> layers) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer fused = i + 1 < layers.size() ? layers.get(i).fusedWith(layers.get(i + 1)) : null;
            if (fused == null) {
                steps.add(new Step(i, i, layers.get(i)));
            } else {
                steps.add(new Step(i, i + 1, fused));
                i++;
            }
        }
        return List.copyOf(steps);
    }

    public List<Layer> layers() {
        return layers;
    }

    /**
     * Makes every later forward and backward pass ask {@code condition} before each layer (once before a fusing
     * pair, which runs as one step; see {@link Layer#fusedWith}) and throw
     * {@link PassStoppedException} when it answers true, so that a pass through a large model stops within one
     * layer's time of a request (a training run's stop on SIGTERM). The layers' own state then reflects a partial
     * pass: buffers, dropout counts and parameter gradients may hold part of it. {@code () -> false}, the
     * default, never stops.
     */
    public void stopPassesWhen(BooleanSupplier condition) {
        this.stopPasses = condition;
    }

    private void checkStop(String pass, int layer) {
        if (stopPasses.getAsBoolean()) {
            throw new PassStoppedException(pass + " pass stopped on request before layer " + layer + " ("
                    + layers.get(layer).describe() + ")");
        }
    }

    @Override
    public String describe() {
        return layers.stream().map(Layer::describe).collect(Collectors.joining(" -> ", "Sequential(", ")"));
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape shape = input;
        for (Layer layer : layers) {
            shape = layer.outputShape(shape);
        }
        return shape;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor out = x;
        for (Step step : steps) {
            checkStop("forward", step.first());
            out = step.layer().forward(out, mode);
        }
        return out;
    }

    /**
     * Back-propagates through the layers, last to first. Without an input gradient, the layers before the first
     * one with parameters are skipped and that one computes no input gradient: nothing would use them (as in an
     * MLP whose first layer is a Flatten, where the first Linear would otherwise compute a gradient for the
     * images).
     */
    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        int first = inputGradient ? 0 : firstTrainable;
        Tensor grad = dy;
        for (int i = steps.size() - 1; i >= 0 && steps.get(i).last() >= first; i--) {
            Step step = steps.get(i);
            checkStop("backward", step.last());
            grad = step.layer().backward(grad, inputGradient || step.first() > first);
        }
        return inputGradient ? grad : null;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                all.add(new Parameter(i + "." + p.name(), p.value(), p.grad()));
            }
        }
        return all;
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Tensor> e : layers.get(i).buffers().entrySet()) {
                all.put(i + "." + e.getKey(), e.getValue());
            }
        }
        return all;
    }

    @Override
    public Sequential evaluationCopy() {
        return new Sequential(layers.stream().map(Layer::evaluationCopy).toList());
    }

    @Override
    public void close() {
        layers.forEach(Layer::close);
    }
}
