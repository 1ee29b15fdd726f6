package dev.cortado.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Argument matrices shared by the conformance tests. */
public final class ConformanceCases {

    /**
     * Sizes for element-wise ops: 1, primes that are no multiple of any block or vector width, one just past a
     * power of two, and about a million (a prime) so work is split across every thread and work group.
     */
    private static final int[] ELEMENTWISE_SIZES = {1, 7, 13, 31, 97, 257, 1009, 4099, 1_000_003};

    private ConformanceCases() {
    }

    /** The element-wise sizes, for {@code @MethodSource}. */
    public static IntStream elementwiseSizes() {
        return Arrays.stream(ELEMENTWISE_SIZES);
    }

    /** Every value paired with every element-wise size, as (value, size). */
    public static Stream<Arguments> withElementwiseSizes(Object... values) {
        return product(List.of(values), Arrays.stream(ELEMENTWISE_SIZES).boxed().toList());
    }

    /**
     * Every combination of one element from each axis, in order. An {@code int[]} or {@code float[]} element is
     * spread into one argument per entry, so an axis can hold tuples such as (m, n, k).
     */
    public static Stream<Arguments> product(List<?>... axes) {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of());
        for (List<?> axis : axes) {
            List<List<Object>> longer = new ArrayList<>();
            for (List<Object> row : rows) {
                for (Object value : axis) {
                    List<Object> extended = new ArrayList<>(row);
                    extended.add(value);
                    longer.add(extended);
                }
            }
            rows = longer;
        }
        return rows.stream().map(ConformanceCases::spread);
    }

    private static Arguments spread(List<Object> row) {
        List<Object> flat = new ArrayList<>();
        for (Object value : row) {
            if (value instanceof int[] ints) {
                Arrays.stream(ints).forEach(flat::add);
            } else if (value instanceof float[] floats) {
                for (float f : floats) {
                    flat.add(f);
                }
            } else {
                flat.add(value);
            }
        }
        return Arguments.of(flat.toArray());
    }
}
