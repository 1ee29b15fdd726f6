package dev.cortado.data;

/** A dataset whose inputs are normalized as they are read; see {@link Dataset#normalized}. */
final class NormalizedDataset extends ForwardingDataset {
    private final Normalization normalization;
    private final int sampleSize;

    NormalizedDataset(Dataset source, Normalization normalization) {
        super(source);
        if (source.preprocessing().normalization() != null) {
            throw new IllegalArgumentException("these samples are normalized already ("
                    + source.preprocessing().normalization().describe() + ")");
        }
        normalization.checkFits(source.sampleShape());
        this.normalization = normalization;
        this.sampleSize = source.sampleSize();
    }

    @Override
    Dataset wrap(Dataset newSource) {
        return new NormalizedDataset(newSource, normalization);
    }

    @Override
    public void copyInputs(int index, float[] dst, int dstOffset) {
        source.copyInputs(index, dst, dstOffset);
        normalization.apply(dst, dstOffset, sampleSize);
    }

    @Override
    public Preprocessing preprocessing() {
        return source.preprocessing().withNormalization(normalization);
    }
}
