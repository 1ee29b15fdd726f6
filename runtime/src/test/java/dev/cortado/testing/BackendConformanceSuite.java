package dev.cortado.testing;

/**
 * Every {@link dev.cortado.backend.Backend} op against {@link ReferenceOps}, on fresh random inputs of awkward
 * sizes, with outputs poisoned by NaN. A backend module runs it with one small class:
 *
 * <pre>{@code
 * class CpuConformanceTest extends BackendConformanceSuite {
 *     protected Device device() { return Device.CPU; }
 * }
 * }</pre>
 *
 * <p>The tests live in one interface per group of ops; a new op needs a method in {@link ReferenceOps} and a test
 * method in the interface of its group (or a new interface added to the list below).
 */
public abstract class BackendConformanceSuite extends BackendSuiteSupport
        implements MemoryConformance, GemmConformance, ConvolutionConformance, ElementwiseConformance,
        ReductionConformance, SoftmaxCrossEntropyConformance, PoolingConformance, ActivationConformance,
        DropoutConformance, OptimizerConformance, BatchNormConformance, ArgumentConformance {
}
