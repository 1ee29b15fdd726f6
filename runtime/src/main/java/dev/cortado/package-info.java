/**
 * The front door for using Cortado as a library: {@link dev.cortado.Model} builds, trains, evaluates, saves,
 * loads and predicts with a model on one device, and {@link dev.cortado.Prediction} is one sample's answer.
 */
package dev.cortado;
