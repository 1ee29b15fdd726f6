package dev.cortado.testing;

import static dev.cortado.testing.Tolerance.EXACT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.backend.PoolStats;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** upload, uploadLabels, download, copy, fill and full, on whole tensors and on views, and the buffer pool's reuse. */
public interface MemoryConformance extends BackendTestContext {

    /** (rows, cols, start, end): a matrix and the rows {@code [start, end)} that form a view. */
    static Stream<Arguments> viewCases() {
        return Stream.of(
                Arguments.of(5, 7, 1, 4),
                Arguments.of(13, 1, 12, 13),
                Arguments.of(3, 257, 1, 3),
                Arguments.of(97, 31, 50, 51),
                Arguments.of(1009, 13, 3, 1009));
    }

    static Stream<Arguments> fillCases() {
        return ConformanceCases.withElementwiseSizes(0f, -2.5f, 3.25e-3f);
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("dev.cortado.testing.ConformanceCases#elementwiseSizes")
    default void uploadThenDownloadRoundTrips(int n) {
        float[] data = values(n);
        Tensor t = tensor(data);
        assertClose("download after upload", data, t, EXACT);

        float[] host = new float[n + 5];
        Arrays.fill(host, Float.NaN);
        backend().download(t, host, 3);
        float[] expected = host.clone();
        System.arraycopy(data, 0, expected, 3, n);
        assertClose("download to host offset 3", expected, host, EXACT);

        float[] source = values(n + 4);
        Tensor u = poisoned(n);
        backend().upload(source, 4, u);
        assertClose("upload from host offset 4", Arrays.copyOfRange(source, 4, n + 4), u, EXACT);
    }

    @ParameterizedTest(name = "rows [{2}, {3}) of {0}x{1}")
    @MethodSource("viewCases")
    default void uploadDownloadAndFillHonourViewOffsets(int rows, int cols, int start, int end) {
        float[] whole = values(rows * cols);
        Tensor t = tensor(whole, rows, cols);
        Tensor view = t.slice(start, end);
        float[] part = values((end - start) * cols);
        backend().upload(part, 0, view);
        float[] expected = whole.clone();
        System.arraycopy(part, 0, expected, start * cols, part.length);
        assertClose("whole tensor after upload into its rows [" + start + ", " + end + ")", expected, t, EXACT);
        assertClose("download of the view", part, view, EXACT);
        assertClose("download of a reshaped view", part, view.reshape(Shape.of(part.length)), EXACT);

        backend().fill(view, -4.5f);
        Arrays.fill(expected, start * cols, end * cols, -4.5f);
        assertClose("whole tensor after fill of its rows [" + start + ", " + end + ")", expected, t, EXACT);
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("dev.cortado.testing.ConformanceCases#elementwiseSizes")
    default void copyCopiesEveryElement(int n) {
        float[] data = values(n);
        Tensor dst = poisoned(n);
        backend().copy(tensor(data), dst);
        assertClose("copy", data, dst, EXACT);
    }

    @ParameterizedTest(name = "rows [{2}, {3}) of {0}x{1}")
    @MethodSource("viewCases")
    default void copyBetweenViewsTouchesOnlyTheViews(int rows, int cols, int start, int end) {
        float[] source = values(rows * cols);
        Tensor src = tensor(source, rows, cols);
        int count = end - start;
        Tensor dst = poisoned(rows + 2, cols);
        backend().copy(src.slice(start, end), dst.slice(2, 2 + count));
        float[] expected = new float[(rows + 2) * cols];
        Arrays.fill(expected, Float.NaN);
        System.arraycopy(source, start * cols, expected, 2 * cols, count * cols);
        assertClose("copy of rows [" + start + ", " + end + ") to rows [2, " + (2 + count) + ")", expected, dst,
                EXACT);
    }

    @ParameterizedTest(name = "value={0} n={1}")
    @MethodSource("fillCases")
    default void fillSetsEveryElement(float value, int n) {
        Tensor t = poisoned(n);
        backend().fill(t, value);
        float[] expected = new float[n];
        Arrays.fill(expected, value);
        assertClose("fill with " + value, expected, t, EXACT);
    }

    @ParameterizedTest(name = "value={0} n={1}")
    @MethodSource("fillCases")
    default void fullMakesATensorOfOneValue(float value, int n) {
        try (Tensor t = backend().full(Shape.of(n), value)) {
            float[] expected = new float[n];
            Arrays.fill(expected, value);
            assertClose("full of " + value, expected, t, EXACT);
        }
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("dev.cortado.testing.ConformanceCases#elementwiseSizes")
    default void uploadLabelsUploadsClassIndicesUnchanged(int n) {
        float[] labels = new float[n + 2];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 11;
        }
        Tensor t = poisoned(n);
        backend().uploadLabels(labels, 2, t);
        assertClose("labels uploaded from host offset 2", Arrays.copyOfRange(labels, 2, n + 2), t, EXACT);
    }

    @Test
    default void poolReusesBuffersOfClosedTensors() {
        Shape shape = Shape.of(7, 149);
        List<Tensor> first = List.of(backend().allocate(shape), backend().allocate(shape));
        first.forEach(Tensor::close);
        PoolStats before = backend().pool().stats();
        List<Tensor> second = List.of(backend().allocate(shape), backend().allocate(shape));
        PoolStats after = backend().pool().stats();
        second.forEach(Tensor::close);
        assertEquals(before.allocations(), after.allocations(),
                "allocating " + shape + " again after closing such tensors must reuse their buffers");
        assertEquals(before.reuses() + 2, after.reuses(), "pool hits");
    }

    @Test
    default void memoryOpsRejectBadSizes() {
        Tensor ten = tensor(values(10));
        Tensor eleven = poisoned(11);
        assertRejects("copy of 10 floats into 11", () -> backend().copy(ten, eleven));
        assertRejects("upload of 9 floats into 10", () -> backend().upload(new float[9], 0, ten));
        assertRejects("upload from offset 1 of 10 floats into 10", () -> backend().upload(new float[10], 1, ten));
        assertRejects("upload from offset -1", () -> backend().upload(new float[20], -1, ten));
        assertRejects("download of 10 floats into 9", () -> backend().download(ten, new float[9], 0));
        assertRejects("download of 10 floats to offset 1 of 10", () -> backend().download(ten, new float[10], 1));
        assertRejects("download to offset -1", () -> backend().download(ten, new float[20], -1));
    }
}
