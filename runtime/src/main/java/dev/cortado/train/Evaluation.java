package dev.cortado.train;

/**
 * A model's loss and accuracy over a dataset.
 *
 * @param loss mean loss per sample
 * @param correct samples classified correctly
 * @param count samples evaluated
 * @param confusion {@code confusion[label][predicted]} counts
 */
public record Evaluation(double loss, int correct, int count, int[][] confusion) {

    public double accuracy() {
        return count == 0 ? 0 : (double) correct / count;
    }

    /** Fraction of the samples of class {@code label} classified correctly (0 when the class has none). */
    public double classAccuracy(int label) {
        int total = 0;
        for (int n : confusion[label]) {
            total += n;
        }
        return total == 0 ? 0 : (double) confusion[label][label] / total;
    }
}
