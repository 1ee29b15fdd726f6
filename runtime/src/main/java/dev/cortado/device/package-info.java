/**
 * Finding and opening devices: {@link dev.cortado.device.Devices} asks every
 * {@link dev.cortado.device.BackendProvider} registered with {@link java.util.ServiceLoader} what it found, picks
 * the best available device or the one asked for, and opens its backend.
 */
package dev.cortado.device;
