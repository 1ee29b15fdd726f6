package dev.cortado.testing;

import dev.cortado.backend.Backend;
import dev.cortado.backend.GemmSpec;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceUnavailableException;
import dev.cortado.device.Devices;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.Locale;
import java.util.Random;

/**
 * GFLOP/s of square SGEMM ({@code C = A * B}, n x n) on one device, with the GEMM engine the backend chooses
 * ({@code CORTADO_CUDA_GEMM=tiled} or {@code CORTADO_OPENCL_GEMM=tiled} pick the tiled kernel). A benchmark, not a
 * test; scripts/gpu-check.sh runs it from the jars:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp cortado.jar:cortado-runtime-tests.jar \
 *     dev.cortado.testing.GemmThroughput DEVICE MIN_SECONDS N...
 * </pre>
 * It prints the device and its GEMM engine, then {@code sgemm N GFLOPS} per size. Exit status 5 (as {@code cortado}'s)
 * when the device is unknown or unavailable, with the reason on stderr; 2 for a bad command line.
 */
public final class GemmThroughput {

    private GemmThroughput() {
    }

    /**
     * GFLOP/s of {@code C = A * B} for n x n matrices: one untimed product (which also builds the kernels), then
     * runs of 1, 2, 4, ... products until one lasts {@code minSeconds}. Each run ends with a download of one
     * element, which waits for the device, so the time covers the products and not just their launches.
     */
    public static double measure(Backend backend, int n, double minSeconds) {
        Random random = new Random(n);
        float[] host = new float[n * n];
        for (int i = 0; i < host.length; i++) {
            host[i] = random.nextFloat() - 0.5f;
        }
        GemmSpec spec = GemmSpec.of(false, false, n, n, n);
        float[] one = new float[1];
        try (Tensor a = backend.upload(Shape.of(n, n), host); Tensor b = backend.upload(Shape.of(n, n), host);
             Tensor c = backend.allocate(Shape.of(n, n))) {
            Tensor corner = c.reshape(Shape.of(n * n)).slice(0, 1);
            backend.gemm(spec, a, b, c);
            backend.download(corner, one, 0);
            for (long products = 1; ; products *= 2) {
                long start = System.nanoTime();
                for (long i = 0; i < products; i++) {
                    backend.gemm(spec, a, b, c);
                }
                backend.download(corner, one, 0);
                long elapsed = System.nanoTime() - start;
                if (elapsed >= minSeconds * 1e9) {
                    return spec.flops() * products / elapsed;
                }
            }
        }
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: GemmThroughput DEVICE MIN_SECONDS N...");
            System.exit(2);
        }
        double minSeconds = Double.parseDouble(args[1]);
        try (Backend backend = Devices.system().open(Device.parse(args[0]))) {
            System.out.println("device: " + backend.info().device() + " " + backend.info().name());
            System.out.println("gemm: " + backend.info().details().get("gemm"));
            for (int i = 2; i < args.length; i++) {
                int n = Integer.parseInt(args[i]);
                System.out.printf(Locale.ROOT, "sgemm %d %.1f%n", n, measure(backend, n, minSeconds));
            }
        } catch (DeviceUnavailableException e) {
            System.err.println(e.getMessage());
            System.exit(5);
        }
    }
}
