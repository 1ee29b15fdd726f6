package dev.cortado.optim;

import dev.cortado.nn.Parameter;
import dev.cortado.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the optimizers share: the parameters, their named state tensors, the update count, and a step that
 * updates each parameter with one fused backend op, which also zeroes its gradient. A new optimizer supplies the
 * settings of one step (its backend op's record), the update of one parameter, and registers its state with
 * {@link #zeroState}.
 *
 * @param <S> the settings record of the optimizer's fused backend op, made once per step
 */
abstract sealed class ParameterOptimizer<S> implements Optimizer permits Sgd, Adam {
    private final List<Parameter> parameters;
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private long steps;

    ParameterOptimizer(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
    }

    final List<Parameter> parameters() {
        return parameters;
    }

    /** A zero-filled tensor shaped like the parameter, checkpointed as {@code <parameter>.<suffix>}. */
    final Tensor zeroState(Parameter parameter, String suffix) {
        Tensor t = parameter.value().backend().full(parameter.value().shape(), 0f);
        state.put(parameter.name() + "." + suffix, t);
        return t;
    }

    /** The settings of the {@code step}-th update (1 for the first) at learning rate {@code lr}. */
    abstract S settings(float lr, long step);

    /** Updates parameter {@code index} of {@link #parameters()} from its gradient. */
    abstract void update(S settings, int index, Parameter parameter);

    @Override
    public final void step(float lr) {
        S settings = settings(lr, steps + 1);
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            update(settings, i, p);
        }
        steps++;
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final void restoreSteps(long restored) {
        steps = restored;
    }

    @Override
    public final Map<String, Tensor> state() {
        return Collections.unmodifiableMap(state);
    }

    @Override
    public final void close() {
        state.values().forEach(Tensor::close);
    }
}
