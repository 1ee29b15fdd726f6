package dev.cortado;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A model's output for one sample: the raw outputs (logits for a classifier, values for a regression), and for a
 * classifier the softmax probabilities and the most likely classes.
 */
public final class Prediction {
    private final float[] outputs;

    /** A class index and its probability. */
    public record Scored(int index, float probability) {
    }

    /** A prediction of these outputs (copied). */
    public Prediction(float[] outputs) {
        this.outputs = outputs.clone();
    }

    /** The model's last layer's values for this sample (a copy). */
    public float[] outputs() {
        return outputs.clone();
    }

    /** The softmax of the outputs, computed stably in double precision: probabilities that sum to 1. */
    public float[] probabilities() {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : outputs) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[outputs.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Math.exp(outputs[i] - max);
            sum += e[i];
        }
        float[] p = new float[e.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** The index of the largest output (the first one on a tie): the predicted class. */
    public int predictedClass() {
        int best = 0;
        for (int i = 1; i < outputs.length; i++) {
            if (outputs[i] > outputs[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The {@code k} most likely classes with their probabilities, most likely first (fewer if there are fewer). */
    public List<Scored> topK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        }
        float[] p = probabilities();
        List<Scored> all = new ArrayList<>();
        IntStream.range(0, p.length).forEach(i -> all.add(new Scored(i, p[i])));
        all.sort(Comparator.comparingDouble((Scored s) -> -s.probability()).thenComparingInt(Scored::index));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    @Override
    public String toString() {
        return "Prediction" + Arrays.toString(outputs);
    }
}
