package dev.cortado.optim;

import dev.cortado.backend.Activation;
import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.UnaryOp;
import dev.cortado.nn.Parameter;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Clipping by global norm ahead of another optimizer, as PyTorch's {@code clip_grad_norm_(parameters, maxNorm)}
 * before {@code optimizer.step()}: every step first multiplies all gradients by {@code min(1, maxNorm / (norm +
 * 1e-6))}, where {@code norm} is the L2 norm of all gradients together, then lets the optimizer update.
 *
 * <p>All of it runs on the device, with no transfer to the host: the squares of each gradient are summed into one
 * device scalar, whose square root gives the factor through element-wise ops ({@code min(1, c)} as
 * {@code 1 - relu(1 - c)}), and each gradient is multiplied by that one-element tensor broadcast.
 */
public final class GradientClipping implements Optimizer {
    /** Added to the norm before dividing, as PyTorch does, so that zero gradients stay zero. */
    public static final float EPSILON = 1e-6f;

    private final Optimizer update;
    private final List<Parameter> parameters;
    private final float maxNorm;
    private final Backend backend;
    /** Scratch for the squares of the largest gradient. */
    private final Tensor squares;
    /** A view of {@link #squares} of each gradient's size, in parameter order. */
    private final List<Tensor> squareViews;
    /** The sum of squares, then the factor every gradient is multiplied by. */
    private final Tensor factor;

    /**
     * @param update the optimizer that updates after clipping
     * @param parameters the parameters whose gradients are clipped together (those {@code update} updates)
     * @param maxNorm the largest global norm let through, > 0
     */
    public GradientClipping(Optimizer update, List<Parameter> parameters, float maxNorm) {
        if (!(Float.isFinite(maxNorm) && maxNorm > 0)) {
            throw new IllegalArgumentException("gradient clipping needs a norm > 0, got " + maxNorm);
        }
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("gradient clipping needs at least one parameter");
        }
        this.update = update;
        this.parameters = List.copyOf(parameters);
        this.maxNorm = maxNorm;
        this.backend = parameters.get(0).grad().backend();
        long largest = parameters.stream().mapToLong(p -> p.grad().size()).max().orElseThrow();
        this.squares = backend.allocate(Shape.of(Math.toIntExact(largest)));
        this.squareViews = this.parameters.stream()
                .map(p -> squares.slice(0, Math.toIntExact(p.grad().size()))).toList();
        this.factor = backend.allocate(Shape.of(1));
    }

    /** The largest global norm let through. */
    public float maxNorm() {
        return maxNorm;
    }

    @Override
    public void step(float lr) {
        clip();
        update.step(lr);
    }

    /** Scales every gradient by {@code min(1, maxNorm / (norm + 1e-6))}, all on the device. */
    private void clip() {
        for (int i = 0; i < parameters.size(); i++) {
            Tensor square = squareViews.get(i);
            backend.map(UnaryOp.SQUARE, parameters.get(i).grad(), square);
            backend.sum(square, 1, Math.toIntExact(square.size()), 1, 1f, i == 0 ? 0f : 1f, factor);
        }
        backend.map(UnaryOp.SQRT, factor, factor);
        backend.affine(1f, factor, EPSILON, factor);
        backend.map(UnaryOp.RECIPROCAL, factor, factor);
        // min(1, c) = 1 - relu(1 - c), with c = maxNorm / (norm + eps)
        backend.affine(-maxNorm, factor, 1f, factor);
        backend.activationForward(Activation.RELU, 0f, factor, factor);
        backend.affine(-1f, factor, 1f, factor);
        for (Parameter p : parameters) {
            backend.zip(BinaryOp.MUL, p.grad(), factor, 1, p.grad());
        }
    }

    @Override
    public long steps() {
        return update.steps();
    }

    @Override
    public void restoreSteps(long steps) {
        update.restoreSteps(steps);
    }

    @Override
    public Map<String, Tensor> state() {
        return update.state();
    }

    /** Releases its own scratch tensors and the optimizer's state. */
    @Override
    public void close() {
        squares.close();
        factor.close();
        update.close();
    }
}
