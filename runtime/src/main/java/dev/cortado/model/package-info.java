/**
 * A model's architecture as data: a {@link dev.cortado.model.ModelSpec} of layer specs, read from JSON or taken
 * from the built-in models, written back as JSON, and built into a layer stack on a device.
 */
package dev.cortado.model;
