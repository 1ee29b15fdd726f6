/**
 * Small programs that use Cortado as a library, each runnable with {@code main} and run by the module's tests on
 * the CPU and on {@code opencl:0}: {@link dev.cortado.examples.QuickStart} is the README's example.
 */
package dev.cortado.examples;
