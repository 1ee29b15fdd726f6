package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.backend.PoolSpec;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.AvgPool2d;
import dev.cortado.nn.layers.MaxPool2d;
import dev.cortado.tensor.Shape;

/**
 * {@code {"type": "maxpool2d" | "avgpool2d", "kernel": 2, "stride": 2, "padding": 0}}: max or average pooling over
 * a square window; stride defaults to the kernel and padding to 0.
 *
 * @param kind max or average
 * @param kernel window size
 * @param stride step between windows
 * @param padding zero padding on every side, at most half the kernel
 */
public record Pool2dSpec(PoolSpec.Kind kind, int kernel, int stride, int padding) implements LayerSpec {
    static final String MAX_TYPE = "maxpool2d";
    static final String AVG_TYPE = "avgpool2d";

    public Pool2dSpec {
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

    public static Pool2dSpec max(int kernel, int stride, int padding) {
        return new Pool2dSpec(PoolSpec.Kind.MAX, kernel, stride, padding);
    }

    public static Pool2dSpec avg(int kernel, int stride, int padding) {
        return new Pool2dSpec(PoolSpec.Kind.AVG, kernel, stride, padding);
    }

    /** This pooling with another stride. */
    public Pool2dSpec stride(int newStride) {
        return new Pool2dSpec(kind, kernel, newStride, padding);
    }

    /** This pooling with another padding. */
    public Pool2dSpec padding(int newPadding) {
        return new Pool2dSpec(kind, kernel, stride, newPadding);
    }

    /** kernel (required), stride (default: the kernel), padding (default 0). */
    static Pool2dSpec fromJson(PoolSpec.Kind kind, JsonFields fields) {
        int kernel = fields.requiredInt("kernel");
        return new Pool2dSpec(kind, kernel, fields.optionalInt("stride", kernel), fields.optionalInt("padding", 0));
    }

    @Override
    public String type() {
        return kind == PoolSpec.Kind.MAX ? MAX_TYPE : AVG_TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException("needs input [N, C, H, W], got " + input);
        }
        PoolSpec spec = new PoolSpec(kind, input.dim(0), input.dim(1), input.dim(2), input.dim(3), kernel, stride,
                padding);
        return Shape.of(input.dim(0), input.dim(1), spec.outHeight(), spec.outWidth());
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        outputShape(input);
        return kind == PoolSpec.Kind.MAX ? new MaxPool2d(kernel, stride, padding)
                : new AvgPool2d(kernel, stride, padding);
    }

    @Override
    public void writeFields(ObjectNode node) {
        node.put("kernel", kernel);
        node.put("stride", stride);
        node.put("padding", padding);
    }
}
