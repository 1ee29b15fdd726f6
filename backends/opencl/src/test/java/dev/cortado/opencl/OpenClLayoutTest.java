package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.PoolSpec;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** im2col, col2im, swapLeadingAxes and pooling against plain loops. */
class OpenClLayoutTest extends OpenClFixture {

    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 0, 1),
                new ConvGeometry(2, 3, 7, 5, 3, 3, 1, 1, 1),
                new ConvGeometry(3, 2, 9, 11, 3, 2, 2, 1, 1),
                new ConvGeometry(1, 4, 13, 13, 5, 5, 3, 2, 1),
                new ConvGeometry(2, 2, 10, 9, 3, 3, 1, 2, 2));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void im2colCopiesEveryWindowAndZeroPads(ConvGeometry g) {
        float[] image = randoms(Math.toIntExact(g.imageSize()));
        Tensor columns = poisoned(Shape.of(g.columnRows(), Math.toIntExact(g.columnCols())));
        backend.im2col(g, tensor(Shape.of(image.length), image), columns);
        assertClose(im2col(g, image), columns.toArray(), 0, "im2col " + g);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void col2imIsTheAdjointOfIm2col(ConvGeometry g) {
        float[] columns = randoms(Math.toIntExact(g.columnRows() * g.columnCols()));
        float[] expected = new float[Math.toIntExact(g.imageSize())];
        for (int i = 0; i < columns.length; i++) {
            int source = sourceIndex(g, i / (int) g.columnCols(), i % (int) g.columnCols());
            if (source >= 0) {
                expected[source] += columns[i];
            }
        }
        Tensor image = poisoned(Shape.of(expected.length));
        backend.col2im(g, tensor(Shape.of(columns.length), columns), image);
        assertClose(expected, image.toArray(), 1e-5, "col2im " + g);
    }

    @Test
    void im2colRejectsAWrongColumnSize() {
        ConvGeometry g = new ConvGeometry(1, 1, 4, 4, 3, 3, 1, 0, 1);
        assertThrows(IllegalArgumentException.class,
                () -> backend.im2col(g, backend.allocate(Shape.of(16)), backend.allocate(Shape.of(9, 5))));
    }

    /** The image index column entry (row, col) copies, or -1 in the padding. */
    static int sourceIndex(ConvGeometry g, int row, int col) {
        int j = row % g.kernelW();
        int i = (row / g.kernelW()) % g.kernelH();
        int c = row / (g.kernelW() * g.kernelH());
        int ox = col % g.outWidth();
        int oy = (col / g.outWidth()) % g.outHeight();
        int n = col / (g.outWidth() * g.outHeight());
        int y = oy * g.stride() - g.padding() + i * g.dilation();
        int x = ox * g.stride() - g.padding() + j * g.dilation();
        if (y < 0 || y >= g.height() || x < 0 || x >= g.width()) {
            return -1;
        }
        return ((n * g.channels() + c) * g.height() + y) * g.width() + x;
    }

    static float[] im2col(ConvGeometry g, float[] image) {
        int cols = Math.toIntExact(g.columnCols());
        float[] out = new float[g.columnRows() * cols];
        for (int r = 0; r < g.columnRows(); r++) {
            for (int q = 0; q < cols; q++) {
                int source = sourceIndex(g, r, q);
                out[r * cols + q] = source < 0 ? 0 : image[source];
            }
        }
        return out;
    }

    @Test
    void swapLeadingAxesTransposesTheFirstTwoAxes() {
        int a = 3;
        int b = 5;
        int c = 7;
        float[] src = randoms(a * b * c);
        float[] expected = new float[src.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < c; k++) {
                    expected[(j * a + i) * c + k] = src[(i * b + j) * c + k];
                }
            }
        }
        Tensor dst = poisoned(Shape.of(b, a, c));
        backend.swapLeadingAxes(a, b, c, tensor(Shape.of(a, b, c), src), dst);
        assertClose(expected, dst.toArray(), 0, "swapLeadingAxes");
    }

    static Stream<PoolSpec> pools() {
        Stream.Builder<PoolSpec> all = Stream.builder();
        for (PoolSpec.Kind kind : PoolSpec.Kind.values()) {
            all.add(new PoolSpec(kind, 2, 3, 8, 8, 2, 2, 0));
            all.add(new PoolSpec(kind, 1, 2, 7, 9, 3, 2, 1));
            all.add(new PoolSpec(kind, 3, 1, 5, 5, 3, 1, 1));
            all.add(new PoolSpec(kind, 1, 1, 1, 1, 1, 1, 0));
            all.add(new PoolSpec(kind, 2, 2, 11, 6, 4, 3, 2));
        }
        return all.build();
    }

    /** Small integers make ties, so the "first maximum" rule is exercised. */
    private float[] tiedInputs(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(4) - 2;
        }
        return v;
    }

    @ParameterizedTest
    @MethodSource("pools")
    void poolForwardAndBackwardMatchTheWindows(PoolSpec s) {
        float[] x = tiedInputs(Math.toIntExact(s.inputSize()));
        float[] dy = randoms(Math.toIntExact(s.outputSize()));
        float[] y = new float[dy.length];
        float[] dx = new float[x.length];
        int oh = s.outHeight();
        int ow = s.outWidth();
        for (int p = 0; p < s.batch() * s.channels(); p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int out = (p * oh + oy) * ow + ox;
                    int best = -1;
                    double sum = 0;
                    for (int i = 0; i < s.kernel(); i++) {
                        for (int j = 0; j < s.kernel(); j++) {
                            int yy = oy * s.stride() - s.padding() + i;
                            int xx = ox * s.stride() - s.padding() + j;
                            if (yy < 0 || yy >= s.height() || xx < 0 || xx >= s.width()) {
                                continue;
                            }
                            int at = (p * s.height() + yy) * s.width() + xx;
                            sum += x[at];
                            if (best < 0 || x[at] > x[best]) {
                                best = at;
                            }
                            if (s.kind() == PoolSpec.Kind.AVG) {
                                dx[at] += dy[out] / (s.kernel() * s.kernel());
                            }
                        }
                    }
                    if (s.kind() == PoolSpec.Kind.MAX) {
                        y[out] = x[best];
                        dx[best] += dy[out];
                    } else {
                        y[out] = (float) (sum / (s.kernel() * s.kernel()));
                    }
                }
            }
        }
        Tensor tx = tensor(Shape.of(x.length), x);
        Tensor ty = poisoned(Shape.of(y.length));
        backend.poolForward(s, tx, ty);
        assertClose(y, ty.toArray(), 1e-6, "poolForward " + s);
        Tensor tdx = poisoned(Shape.of(x.length));
        backend.poolBackward(s, tx, tensor(Shape.of(dy.length), dy), tdx);
        assertClose(dx, tdx.toArray(), 1e-5, "poolBackward " + s);
    }
}
