/**
 * A model's architecture as data: a {@link dev.cortado.model.ModelSpec} of layer specs, written in code with the
 * factories of {@link dev.cortado.model.LayerSpec}, read from JSON or taken from the built-in models, written back
 * as JSON, and built into a layer stack on a device. {@link dev.cortado.model.LayerTypes} is the open registry of
 * the layer types a spec may name, layers of one's own included.
 */
package dev.cortado.model;
