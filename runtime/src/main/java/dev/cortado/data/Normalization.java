package dev.cortado.data;

import dev.cortado.tensor.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Per-channel normalization of a model's inputs: value {@code x} of channel {@code c} becomes
 * {@code (x - mean[c]) / std[c]}, computed in float. The channel is a sample's first dimension: the colour of an
 * image of shape (channels, height, width), the column of a table's row of shape (features).
 *
 * <p>The same arithmetic runs in training ({@link Dataset#normalized}), evaluation and prediction, so a model sees
 * the same values for the same image everywhere; checkpoints record it.
 *
 * @param mean the mean of each channel
 * @param std the standard deviation of each channel, each greater than 0
 */
public record Normalization(float[] mean, float[] std) {

    /**
     * Checks that both have one finite value per channel and that every standard deviation is positive.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public Normalization {
        mean = mean.clone();
        std = std.clone();
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("a normalization needs one mean and one standard deviation per channel, "
                    + "got " + mean.length + " means and " + std.length + " standard deviations");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c]) || !(std[c] > 0 && Float.isFinite(std[c]))) {
                throw new IllegalArgumentException("channel " + c + " has mean " + mean[c] + " and standard deviation "
                        + std[c] + ": the mean must be a number and the standard deviation a number above 0");
            }
        }
    }

    /**
     * The mean and the (population) standard deviation of each channel over every sample of {@code data}, read in
     * index order with its {@link Dataset#readThreads()} and summed in double precision in that order, so the same
     * data always gives the same values. A channel whose values are all equal gets a standard deviation of 1 (it
     * is only shifted).
     *
     * @throws IllegalArgumentException when the dataset is empty
     */
    public static Normalization of(Dataset data) {
        if (data.count() == 0) {
            throw new IllegalArgumentException("cannot compute a normalization from an empty dataset");
        }
        int channels = channels(data.sampleShape());
        int plane = data.sampleSize() / channels;
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        try (BatchLoader loader = BatchLoader.open(data, 256, SampleOrder.sequential())) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                float[] x = batch.inputs();
                for (int s = 0; s < batch.count(); s++) {
                    for (int c = 0; c < channels; c++) {
                        int start = (s * channels + c) * plane;
                        for (int i = start; i < start + plane; i++) {
                            sum[c] += x[i];
                            squares[c] += (double) x[i] * x[i];
                        }
                    }
                }
            }
        }
        double n = (double) data.count() * plane;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / n;
            double sd = Math.sqrt(Math.max(0, squares[c] / n - m * m));
            mean[c] = (float) m;
            std[c] = (float) sd > 0 ? (float) sd : 1f;
        }
        return new Normalization(mean, std);
    }

    /**
     * Reads {@code MEAN,...,STD,...}: the means of every channel, then their standard deviations, e.g.
     * {@code 0.5,0.5,0.5,0.25,0.25,0.25} for three channels, or {@code 0.5,0.25} for one.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Normalization parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length % 2 != 0) {
            throw new IllegalArgumentException("'" + text + "' has " + parts.length + " values; give the mean of each "
                    + "channel, then the standard deviation of each: MEAN,...,STD,... (an even count)");
        }
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + parts[i].trim() + "' in '" + text + "' is not a number", e);
            }
        }
        int channels = parts.length / 2;
        return new Normalization(Arrays.copyOf(values, channels), Arrays.copyOfRange(values, channels, 2 * channels));
    }

    /** The number of channels. */
    public int channels() {
        return mean.length;
    }

    /** The mean of each channel (a copy). */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** The standard deviation of each channel (a copy). */
    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * Normalizes the {@code sampleSize} values of one sample at {@code values[offset..]} in place: each channel
     * is a block of {@code sampleSize / channels()} values, one after the other.
     */
    public void apply(float[] values, int offset, int sampleSize) {
        int plane = sampleSize / mean.length;
        for (int c = 0; c < mean.length; c++) {
            float m = mean[c];
            float s = std[c];
            int start = offset + c * plane;
            for (int i = start; i < start + plane; i++) {
                values[i] = (values[i] - m) / s;
            }
        }
    }

    /**
     * Checks that this normalization fits samples of {@code shape}: one mean per channel (the first dimension).
     *
     * @throws IllegalArgumentException when it does not
     */
    public void checkFits(Shape sampleShape) {
        int channels = channels(sampleShape);
        if (channels != mean.length) {
            throw new IllegalArgumentException("a normalization of " + mean.length + " channel" + (mean.length == 1 ? ""
                    : "s") + " does not fit samples of " + sampleShape + ", which have " + channels);
        }
    }

    /** For messages: {@code mean [0.4914, 0.4822, 0.4465], std [0.247, 0.2435, 0.2616]}, four decimals at most. */
    public String describe() {
        return "mean " + format(mean) + ", std " + format(std);
    }

    private static String format(float[] values) {
        return IntStream.range(0, values.length).mapToObj(i -> String.format(Locale.ROOT, "%.4f", values[i])
                .replaceAll("0+$", "").replaceAll("\\.$", ".0")).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The channels of samples of {@code shape}: its first dimension. */
    static int channels(Shape shape) {
        return shape.rank() == 0 ? 1 : shape.dim(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[" + describe() + "]";
    }
}
