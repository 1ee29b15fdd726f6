package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.cortado.backend.GemmSpec;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir
    Path cache;

    @Test
    void gemm() {
        try (OpenClBackend b = OpenClTestDevice.open(cache)) {
            System.out.println(b.info());
            Tensor a = b.upload(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6});
            Tensor x = b.upload(Shape.of(3, 2), new float[] {1, 0, 0, 1, 1, 1});
            Tensor c = b.allocate(Shape.of(2, 2));
            b.gemm(GemmSpec.of(false, false, 2, 2, 3), a, x, c);
            assertArrayEquals(new float[] {4, 5, 10, 11}, c.toArray());
            System.out.println(b.liveObjects());
        }
    }
}
