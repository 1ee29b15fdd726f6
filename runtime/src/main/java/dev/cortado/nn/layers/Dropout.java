package dev.cortado.nn.layers;

import dev.cortado.backend.Backend;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the rest scaled by
 * {@code 1/(1-p)}; in evaluation the layer is the identity.
 *
 * <p>Masks come from the counter-based generator, so they are the same on every device. Each training forward
 * pass draws from its own stream, {@code layerId * 2^32 + call}, where the layer id comes from the
 * {@link Initializer} and {@code call} counts this layer's training passes. The count is training state: a
 * checkpoint saves {@link #calls()} and restores it with {@link #restoreCalls(long)} so a resumed run draws the
 * masks it would have drawn.
 */
public final class Dropout implements Layer {
    private static final int CALL_BITS = 32;
    private static final long MAX_LAYER_ID = (Initializer.FIRST_STREAM >>> CALL_BITS) - 1;
    private static final long MAX_CALLS = 1L << CALL_BITS;

    private final float p;
    private final long seed;
    private final long layerId;
    private final TensorSlot output = new TensorSlot();
    private final TensorSlot inputGrad = new TensorSlot();
    /** False for an evaluation copy: its pass count is not the model's, so it must not draw masks. */
    private final boolean ownsCalls;
    private long calls;
    private DropoutSpec trained;
    private Shape trainedShape;

    /** A dropout layer drawing its masks from the initializer's seed under a fresh layer id. */
    public Dropout(Initializer init, float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("Dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.seed = init.seed();
        this.layerId = init.nextLayerId();
        if (layerId > MAX_LAYER_ID) {
            throw new IllegalArgumentException("too many dropout layers for one initializer: at most "
                    + (MAX_LAYER_ID + 1) + " get their own random streams");
        }
        this.ownsCalls = true;
    }

    private Dropout(Dropout shared) {
        this.p = shared.p;
        this.seed = shared.seed;
        this.layerId = shared.layerId;
        this.ownsCalls = false;
    }

    @Override
    public Layer evaluationCopy() {
        return new Dropout(this);
    }

    /** Training forward passes so far: the index of the next mask. */
    public long calls() {
        return calls;
    }

    /** Sets the training pass count, as a checkpoint saved it. */
    public void restoreCalls(long count) {
        if (count < 0 || count >= MAX_CALLS) {
            throw new IllegalArgumentException("dropout call count must be in [0, 2^" + CALL_BITS + "), got "
                    + count);
        }
        calls = count;
    }

    @Override
    public String describe() {
        return "Dropout(" + p + ")";
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (mode != Mode.TRAIN) {
            trained = null;
            return x;
        }
        Layers.requireTrainable(mode, ownsCalls, this);
        if (calls >= MAX_CALLS) {
            throw new IllegalStateException(describe() + ": ran out of random streams after " + calls
                    + " training passes");
        }
        DropoutSpec spec = new DropoutSpec(p, seed, (layerId << CALL_BITS) | calls);
        calls++;
        Backend backend = x.backend();
        Tensor y = output.get(backend, x.shape());
        backend.dropoutForward(spec, x, y);
        trained = spec;
        trainedShape = x.shape();
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        DropoutSpec spec = Layers.requireForward(trained, this);
        Layers.requireShape(this, "output gradient", trainedShape, dy);
        if (!inputGradient) {
            return null;
        }
        Backend backend = dy.backend();
        Tensor dx = inputGrad.get(backend, trainedShape);
        backend.dropoutBackward(spec, dy, dx);
        return dx;
    }

    @Override
    public void close() {
        output.close();
        inputGrad.close();
        trained = null;
    }
}
