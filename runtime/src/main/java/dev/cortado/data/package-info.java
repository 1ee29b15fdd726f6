/**
 * Labelled datasets in memory and how they reach training: the IDX reader and the MNIST-format loader, the sample
 * order of an epoch, and the loader that prepares batches ahead on a background thread.
 */
package dev.cortado.data;
