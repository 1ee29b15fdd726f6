package dev.cortado.backend;

/** Element-wise functions of one argument for {@link Backend#map}. */
public enum UnaryOp {
    /** x*x */
    SQUARE,
    /** sqrt(x) */
    SQRT,
    /** 1/sqrt(x) */
    RSQRT,
    /** e^x */
    EXP,
    /** natural logarithm */
    LOG,
    /** -x */
    NEG,
    /** |x| */
    ABS,
    /** 1/x */
    RECIPROCAL
}
