package dev.cortado.backend;

/** Element-wise functions of two arguments for {@link Backend#zip}. */
public enum BinaryOp {
    ADD,
    SUB,
    MUL,
    DIV,
    /** 1 where a == b, else 0: counts correct predictions. */
    EQUAL
}
