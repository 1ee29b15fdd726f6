package dev.cortado.data;

import java.util.ArrayList;
import java.util.List;

/** What a dataset serves, read through its {@link Dataset} methods for the tests' assertions. */
final class Samples {
    private Samples() {
    }

    /** The input values of sample {@code index}. */
    static float[] inputs(Dataset data, int index) {
        float[] x = new float[data.sampleSize()];
        data.copyInputs(index, x, 0);
        return x;
    }

    /** Every sample's class label, in order. */
    static List<Float> labels(Dataset data) {
        List<Float> labels = new ArrayList<>();
        float[] label = new float[1];
        for (int i = 0; i < data.count(); i++) {
            data.copyTarget(i, label, 0);
            labels.add(label[0]);
        }
        return labels;
    }
}
