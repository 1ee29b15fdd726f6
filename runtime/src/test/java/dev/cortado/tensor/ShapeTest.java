package dev.cortado.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void sizesAreProductsOfDimensions() {
        Shape nchw = Shape.of(64, 3, 28, 27);
        assertEquals(4, nchw.rank());
        assertEquals(64L * 3 * 28 * 27, nchw.size());
        assertEquals(3L * 28 * 27, nchw.sizeAfterFirst());
        assertEquals(1, Shape.of().size(), "a scalar has one element");
        assertEquals(0, Shape.of(5, 0, 7).size());
        assertEquals(10_000_000_000L, Shape.of(100_000, 100_000).size(), "sizes do not overflow int");
    }

    @Test
    void dimensionsCountNegativeAxesFromTheEnd() {
        Shape s = Shape.of(2, 3, 5);
        assertEquals(2, s.dim(0));
        assertEquals(5, s.dim(2));
        assertEquals(5, s.dim(-1));
        assertEquals(2, s.dim(-3));
    }

    @Test
    void isImmutable() {
        int[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 99;
        assertEquals(2, s.dim(0), "Shape.of copies its argument");
        s.dims()[1] = 99;
        assertEquals(3, s.dim(1), "dims() returns a copy");
    }

    @Test
    void derivedShapes() {
        Shape s = Shape.of(64, 1, 28, 28);
        assertEquals(Shape.of(17, 1, 28, 28), s.withFirst(17));
        assertEquals(Shape.of(1, 28, 28), s.dropFirst());
        assertEquals(Shape.of(8, 64, 1, 28, 28), s.prepend(8));
        assertEquals(Shape.of(64, 1, 28, 28), s, "derived shapes leave the original alone");
    }

    @Test
    void equalityIsByDimensions() {
        assertEquals(Shape.of(2, 3), Shape.of(2, 3));
        assertEquals(Shape.of(2, 3).hashCode(), Shape.of(2, 3).hashCode());
        assertNotEquals(Shape.of(2, 3), Shape.of(3, 2));
        assertNotEquals(Shape.of(6), Shape.of(2, 3));
        assertNotEquals(Shape.of(1), Shape.of(), "a vector of one element is not a scalar");
        assertNotEquals(Shape.of(2, 3), "[2, 3]");
    }

    @Test
    void printsLikeAList() {
        assertEquals("[64, 1, 28, 28]", Shape.of(64, 1, 28, 28).toString());
        assertEquals("[]", Shape.of().toString());
    }

    @Test
    void rejectsNegativeDimensionsNamingTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(4, -1, 3));
        assertTrue(e.getMessage().contains("[4, -1, 3]"), e.getMessage());
        assertArrayEquals(new int[] {4, 0}, Shape.of(4, 0).dims());
    }
}
