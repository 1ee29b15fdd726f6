package dev.cortado.testing;

/**
 * How far a backend's float result may be from the double-precision reference: element {@code i} passes when
 * {@code |actual - expected| <= absolute + relative * |expected|}. NaN never passes unless expected is NaN too.
 *
 * @param absolute the allowance near zero
 * @param relative the allowance as a fraction of the expected value
 */
public record Tolerance(double absolute, double relative) {

    /** Bit-for-bit copies: memory ops, im2col, max pooling, argmax, dropout masks. */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    /**
     * One float rounding of a correctly computed value, with room for the few ulp of a GPU's exp, log, sqrt or
     * division (2^-24 is about 6e-8, so 1e-5 allows about 170 ulp).
     */
    public static final Tolerance ELEMENTWISE = new Tolerance(1e-6, 1e-5);

    public Tolerance {
        if (!(absolute >= 0 && relative >= 0)) {
            throw new IllegalArgumentException("tolerances must be >= 0, got " + absolute + ", " + relative);
        }
    }

    /**
     * For results that sum {@code terms} products of values of magnitude at most about 1 in float, in any order
     * and blocking: the rounding error of such a sum grows like sqrt(terms) in practice and like terms in the worst
     * case, so an allowance of 1e-6 per term leaves a wide margin, while a wrong or missing term (most are 0.01
     * to 1 in these tests) still shows in nearly every element.
     */
    public static Tolerance accumulating(long terms) {
        return new Tolerance(1e-6 * Math.max(1, terms), 1e-5);
    }

    /** Whether {@code actual} is close enough to {@code expected}. */
    public boolean accepts(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            return Double.compare(expected, actual) == 0;
        }
        return Math.abs(actual - expected) <= allowance(expected);
    }

    /** The largest difference accepted around {@code expected}. */
    public double allowance(double expected) {
        return absolute + relative * Math.abs(expected);
    }
}
