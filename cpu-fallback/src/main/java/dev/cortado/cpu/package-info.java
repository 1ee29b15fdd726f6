/**
 * The CPU backend (artifact {@code cortado-cpu}): every op in pure Java on all cores, with the Vector API's loops
 * when the JVM is started with {@code --add-modules jdk.incubator.vector} and plain loops otherwise. It is always
 * available, and the reference the other backends are compared with.
 */
package dev.cortado.cpu;
