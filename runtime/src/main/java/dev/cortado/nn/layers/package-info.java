/**
 * The layers, each like its PyTorch namesake: linear, 2-D convolution, max and average pooling, batch
 * normalization, dropout, activations and flatten.
 */
package dev.cortado.nn.layers;
