/**
 * The counter-based Philox generator that the host and every device kernel implement alike, so a seed draws the
 * same numbers (initial weights, dropout masks, shuffles) on every device.
 */
package dev.cortado.random;
