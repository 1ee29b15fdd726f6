package dev.cortado.optim;

import dev.cortado.backend.SgdStep;
import dev.cortado.nn.Parameter;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay (PyTorch's SGD). */
public final class Sgd implements Optimizer {
    private final List<Parameter> parameters;
    private final List<Tensor> velocities = new ArrayList<>();
    private final float momentum;
    private final float weightDecay;
    private final boolean nesterov;
    private long steps;

    public Sgd(List<Parameter> parameters, float momentum, float weightDecay, boolean nesterov) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0");
        }
        this.parameters = List.copyOf(parameters);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        if (momentum != 0) {
            for (Parameter p : parameters) {
                Tensor v = p.value().backend().allocate(p.value().shape());
                v.backend().fill(v, 0f);
                velocities.add(v);
            }
        }
    }

    @Override
    public String describe() {
        return "SGD(momentum " + momentum + (nesterov ? ", Nesterov" : "")
                + (weightDecay != 0 ? ", weight decay " + weightDecay : "") + ")";
    }

    @Override
    public void step(float lr) {
        SgdStep step = new SgdStep(lr, momentum, weightDecay, nesterov);
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            p.value().backend().sgdUpdate(step, p.value(), p.grad(), momentum == 0 ? null : velocities.get(i));
            p.grad().backend().fill(p.grad(), 0f);
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void restoreSteps(long restored) {
        steps = restored;
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (int i = 0; i < velocities.size(); i++) {
            state.put(parameters.get(i).name() + ".momentum_buffer", velocities.get(i));
        }
        return state;
    }

    @Override
    public void close() {
        velocities.forEach(Tensor::close);
    }
}
