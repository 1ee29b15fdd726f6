package dev.cortado.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.io.HostTensor;
import dev.cortado.train.Checkpoint;
import java.util.Map;

/** Compares the tensors of two checkpoints. */
final class Weights {
    private Weights() {
    }

    /**
     * The largest difference of any value of any tensor, relative to the largest magnitude in that tensor of
     * {@code expected} (at least 1); fails when the checkpoints hold different tensors.
     */
    static double largestRelativeDifference(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        double worst = 0;
        for (Map.Entry<String, HostTensor> e : expected.tensors().entrySet()) {
            float[] want = e.getValue().data();
            float[] got = actual.tensors().get(e.getKey()).data();
            assertEquals(want.length, got.length, e.getKey());
            double scale = 1;
            for (float v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(want[i] - got[i]) / scale);
            }
        }
        return worst;
    }

    /** Whether the two checkpoints hold the same bits in every tensor. */
    static boolean identical(Checkpoint a, Checkpoint b) {
        for (Map.Entry<String, HostTensor> e : a.tensors().entrySet()) {
            if (!java.util.Arrays.equals(e.getValue().data(), b.tensors().get(e.getKey()).data())) {
                return false;
            }
        }
        return a.tensors().keySet().equals(b.tensors().keySet());
    }
}
