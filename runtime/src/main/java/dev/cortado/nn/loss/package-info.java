/**
 * Training objectives averaged over the batch: softmax cross-entropy on class indices and mean squared error.
 */
package dev.cortado.nn.loss;
