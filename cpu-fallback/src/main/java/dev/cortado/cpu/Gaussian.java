package dev.cortado.cpu;

/** The standard normal distribution, for GELU: its distribution function and density, in double precision. */
final class Gaussian {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INVERSE_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private Gaussian() {
    }

    /** {@code Phi(x) = erfc(-x/sqrt(2)) / 2}, with a relative error below 1.2e-7 for every x (NaN for NaN). */
    static double cdf(double x) {
        return 0.5 * erfc(-x * SQRT_HALF);
    }

    /** {@code phi(x) = e^(-x^2/2) / sqrt(2 pi)}. */
    static double density(double x) {
        return INVERSE_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /**
     * The complementary error function by the Chebyshev fit of Numerical Recipes ({@code erfcc}, 2nd ed., 6.2),
     * whose relative error is below 1.2e-7 everywhere: as erfc rather than {@code 1 + erf}, so GELU keeps its
     * relative precision for large negative x, where {@code 1 + erf} cancels.
     */
    static double erfc(double z) {
        double a = Math.abs(z);
        double t = 1 / (1 + 0.5 * a);
        double r = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? r : 2 - r;
    }
}
