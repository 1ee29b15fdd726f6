package dev.cortado.train;

import dev.cortado.nn.Layer;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.layers.Dropout;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * What a training step changes before its optimizer update, kept from the last step boundary so that a step
 * stopped part-way can be undone: the model's buffers (BatchNorm's running statistics, copied on the device) and
 * the dropout layers' pass counts. After {@link #restore()} the model's state is that of its last completed step,
 * weights and optimizer state included (the update never ran), and its gradients are zero again.
 */
final class StepRollback implements AutoCloseable {
    private final Sequential model;
    private final List<Tensor> buffers;
    private final List<Tensor> saved = new ArrayList<>();
    private final List<Dropout> dropouts = new ArrayList<>();
    private final long[] calls;

    StepRollback(Sequential model) {
        this.model = model;
        this.buffers = List.copyOf(model.buffers().values());
        for (Tensor buffer : buffers) {
            saved.add(buffer.backend().allocate(buffer.shape()));
        }
        for (Layer layer : model.layers()) {
            if (layer instanceof Dropout dropout) {
                dropouts.add(dropout);
            }
        }
        this.calls = new long[dropouts.size()];
    }

    /** Remembers the state at a step boundary: the device copies nothing when the model has no buffers. */
    void save() {
        for (int i = 0; i < buffers.size(); i++) {
            buffers.get(i).backend().copy(buffers.get(i), saved.get(i));
        }
        for (int i = 0; i < calls.length; i++) {
            calls[i] = dropouts.get(i).calls();
        }
    }

    /** Puts back the state {@link #save()} remembered and clears the partial step's gradients. */
    void restore() {
        for (int i = 0; i < buffers.size(); i++) {
            buffers.get(i).backend().copy(saved.get(i), buffers.get(i));
        }
        for (int i = 0; i < calls.length; i++) {
            dropouts.get(i).restoreCalls(calls[i]);
        }
        for (Parameter p : model.parameters()) {
            p.grad().backend().fill(p.grad(), 0f);
        }
    }

    @Override
    public void close() {
        saved.forEach(Tensor::close);
    }
}
