/**
 * The building blocks of a model: the {@link dev.cortado.nn.Layer} interface with its explicit backward pass,
 * {@link dev.cortado.nn.Sequential}, parameters and their initialization. Layers and losses call only
 * {@link dev.cortado.backend.Backend} ops, so one layer stack runs on every device.
 */
package dev.cortado.nn;
