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
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0");
        }
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
