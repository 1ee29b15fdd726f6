package dev.cortado.data;

/** Which part of a dataset: the samples to train on or the held-out samples to evaluate on. */
public enum Split {
    TRAIN,
    TEST
}
