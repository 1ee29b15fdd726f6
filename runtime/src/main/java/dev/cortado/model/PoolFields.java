package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.PoolSpec;
import dev.cortado.tensor.Shape;

/** What max and average pooling specs share: their settings' checks, JSON fields and output shape. */
final class PoolFields {
    private PoolFields() {
    }

    static void validate(int kernel, int stride, int padding) {
        if (kernel < 1) {
            throw new IllegalArgumentException("kernel must be >= 1, got " + kernel);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
        if (padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException("padding must be in [0, kernel/2], got " + padding);
        }
    }

    /** A pooling window as read from JSON. */
    record Window(int kernel, int stride, int padding) {
    }

    /** kernel (required), stride (default: the kernel), padding (default 0). */
    static Window read(JsonFields fields) {
        int kernel = fields.requiredInt("kernel");
        return new Window(kernel, fields.optionalInt("stride", kernel), fields.optionalInt("padding", 0));
    }

    static void write(ObjectNode node, int kernel, int stride, int padding) {
        node.put("kernel", kernel);
        node.put("stride", stride);
        node.put("padding", padding);
    }

    static Shape outputShape(PoolSpec.Kind kind, Shape input, int kernel, int stride, int padding) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException("needs input [N, C, H, W], got " + input);
        }
        PoolSpec spec = new PoolSpec(kind, input.dim(0), input.dim(1), input.dim(2), input.dim(3), kernel, stride,
                padding);
        return Shape.of(input.dim(0), input.dim(1), spec.outHeight(), spec.outWidth());
    }
}
