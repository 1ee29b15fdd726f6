package dev.cortado.optim;

import dev.cortado.backend.AdamStep;
import dev.cortado.nn.Parameter;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam, or AdamW when the weight decay is decoupled, with PyTorch's semantics and defaults
 * (betas 0.9/0.999, eps 1e-8).
 */
public final class Adam extends ParameterOptimizer<AdamStep> {
    private final List<Tensor> firstMoments = new ArrayList<>();
    private final List<Tensor> secondMoments = new ArrayList<>();
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean decoupled;

    public Adam(List<Parameter> parameters, float beta1, float beta2, float eps, float weightDecay,
                boolean decoupled) {
        super(parameters);
        new AdamStep(0f, beta1, beta2, eps, weightDecay, decoupled, 1); // checks the settings now
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        for (Parameter p : parameters()) {
            firstMoments.add(zeroState(p, "exp_avg"));
            secondMoments.add(zeroState(p, "exp_avg_sq"));
        }
    }

    /** Adam with PyTorch's defaults and L2 weight decay. */
    public static Adam adam(List<Parameter> parameters, float weightDecay) {
        return new Adam(parameters, 0.9f, 0.999f, 1e-8f, weightDecay, false);
    }

    /** AdamW with PyTorch's defaults and decoupled weight decay. */
    public static Adam adamW(List<Parameter> parameters, float weightDecay) {
        return new Adam(parameters, 0.9f, 0.999f, 1e-8f, weightDecay, true);
    }

    @Override
    AdamStep settings(float lr, long step) {
        return new AdamStep(lr, beta1, beta2, eps, weightDecay, decoupled, step);
    }

    @Override
    void update(AdamStep settings, int index, Parameter p) {
        p.value().backend().adamUpdate(settings, p.value(), p.grad(), firstMoments.get(index),
                secondMoments.get(index));
    }
}
