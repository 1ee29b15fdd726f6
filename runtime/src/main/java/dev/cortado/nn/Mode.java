package dev.cortado.nn;

/** Whether a forward pass is part of training (dropout on, batch statistics) or evaluation. */
public enum Mode {
    TRAIN,
    EVAL
}
