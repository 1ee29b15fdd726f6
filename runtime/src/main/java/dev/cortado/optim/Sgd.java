package dev.cortado.optim;

import dev.cortado.backend.SgdStep;
import dev.cortado.nn.Parameter;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay (PyTorch's SGD). */
public final class Sgd extends ParameterOptimizer<SgdStep> {
    private final List<Tensor> velocities = new ArrayList<>();
    private final float momentum;
    private final float weightDecay;
    private final boolean nesterov;

    public Sgd(List<Parameter> parameters, float momentum, float weightDecay, boolean nesterov) {
        super(parameters);
        new SgdStep(0f, momentum, weightDecay, nesterov); // checks the settings now, not at the first step
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        if (momentum != 0) {
            for (Parameter p : parameters()) {
                velocities.add(zeroState(p, "momentum_buffer"));
            }
        }
    }

    @Override
    SgdStep settings(float lr, long step) {
        return new SgdStep(lr, momentum, weightDecay, nesterov);
    }

    @Override
    void update(SgdStep settings, int index, Parameter p) {
        p.value().backend().sgdUpdate(settings, p.value(), p.grad(), momentum == 0 ? null : velocities.get(index));
    }
}
