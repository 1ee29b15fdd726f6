package dev.cortado.train;

/**
 * A model's loss and metric over a dataset.
 *
 * @param loss mean loss per sample
 * @param metricSum the metric summed over the samples: the number classified correctly for a classification, the
 *     sum of each sample's mean absolute error for a regression
 * @param count samples evaluated
 * @param confusion {@code confusion[label][predicted]} counts for a classification; null for a regression
 */
public record Evaluation(double loss, double metricSum, int count, int[][] confusion) {

    /** The metric: the accuracy of a classification, the mean absolute error of a regression. */
    public double metric() {
        return count == 0 ? 0 : metricSum / count;
    }

    /** True for a classification's evaluation, which has a confusion matrix. */
    public boolean isClassification() {
        return confusion != null;
    }

    /** The samples classified correctly. */
    public int correct() {
        requireClassification("correct()");
        return (int) Math.round(metricSum);
    }

    /** The fraction classified correctly. */
    public double accuracy() {
        requireClassification("accuracy()");
        return metric();
    }

    /** Fraction of the samples of class {@code label} classified correctly (0 when the class has none). */
    public double classAccuracy(int label) {
        requireClassification("classAccuracy()");
        int total = 0;
        for (int n : confusion[label]) {
            total += n;
        }
        return total == 0 ? 0 : (double) confusion[label][label] / total;
    }

    private void requireClassification(String what) {
        if (confusion == null) {
            throw new IllegalStateException(what + " is a classification's measure; this is a regression's "
                    + "evaluation (use metric(), the mean absolute error)");
        }
    }
}
