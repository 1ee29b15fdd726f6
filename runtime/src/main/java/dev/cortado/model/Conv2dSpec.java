package dev.cortado.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.Conv2d;
import dev.cortado.tensor.Shape;

/**
 * {@code {"type": "conv2d", "out": 6, "kernel": 5, "stride": 1, "padding": 2, "dilation": 1, "groups": 1,
 * "bias": true}}: a 2-D convolution on {@code (N, C, H, W)} input. {@code kernel} is a number for a square kernel
 * or {@code [height, width]}; stride (1), padding (0), dilation (1), groups (1) and bias (true) may be left out.
 * With {@code groups} g, the input and output channels are split into g groups convolved separately, as in
 * PyTorch: both channel counts must be multiples of g, and g equal to the input channels is a depthwise
 * convolution. The JSON leaves {@code groups} out when it is 1.
 */
public record Conv2dSpec(int out, int kernelH, int kernelW, int stride, int padding, int dilation, boolean bias,
                         int groups) implements LayerSpec {
    static final String TYPE = "conv2d";

    public Conv2dSpec {
        if (out < 1) {
            throw new IllegalArgumentException("out must be >= 1, got " + out);
        }
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("kernel must be >= 1, got "
                    + (kernelH == kernelW ? kernelH : kernelH + "x" + kernelW));
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        if (dilation < 1) {
            throw new IllegalArgumentException("dilation must be >= 1, got " + dilation);
        }
        if (groups < 1 || out % groups != 0) {
            throw new IllegalArgumentException("groups must be >= 1 and divide out (" + out + "), got " + groups);
        }
    }

    /** One group. */
    public Conv2dSpec(int out, int kernelH, int kernelW, int stride, int padding, int dilation, boolean bias) {
        this(out, kernelH, kernelW, stride, padding, dilation, bias, 1);
    }

    /** A square kernel with a bias, one group. */
    public Conv2dSpec(int out, int kernel, int stride, int padding) {
        this(out, kernel, kernel, stride, padding, 1, true);
    }

    /** This convolution with another stride. */
    public Conv2dSpec stride(int newStride) {
        return new Conv2dSpec(out, kernelH, kernelW, newStride, padding, dilation, bias, groups);
    }

    /** This convolution with another zero padding on each side. */
    public Conv2dSpec padding(int newPadding) {
        return new Conv2dSpec(out, kernelH, kernelW, stride, newPadding, dilation, bias, groups);
    }

    /** This convolution with another dilation. */
    public Conv2dSpec dilation(int newDilation) {
        return new Conv2dSpec(out, kernelH, kernelW, stride, padding, newDilation, bias, groups);
    }

    /** This convolution without a bias (as before a batch norm, which has its own). */
    public Conv2dSpec withoutBias() {
        return new Conv2dSpec(out, kernelH, kernelW, stride, padding, dilation, false, groups);
    }

    /**
     * This convolution in {@code newGroups} groups: each group of {@code out / groups} output channels sees only
     * its {@code 1 / groups} share of the input channels ({@code groups} = input channels: depthwise).
     */
    public Conv2dSpec groups(int newGroups) {
        return new Conv2dSpec(out, kernelH, kernelW, stride, padding, dilation, bias, newGroups);
    }

    static Conv2dSpec fromJson(JsonFields fields) {
        int out = fields.requiredInt("out");
        JsonNode kernel = fields.required("kernel");
        int kernelH;
        int kernelW;
        if (kernel.isArray()) {
            if (kernel.size() != 2) {
                throw new IllegalArgumentException("field 'kernel' must be a number or [height, width], got "
                        + JsonFields.describe(kernel));
            }
            kernelH = JsonFields.toInt("kernel", kernel.get(0));
            kernelW = JsonFields.toInt("kernel", kernel.get(1));
        } else {
            kernelH = JsonFields.toInt("kernel", kernel);
            kernelW = kernelH;
        }
        return new Conv2dSpec(out, kernelH, kernelW, fields.optionalInt("stride", 1),
                fields.optionalInt("padding", 0), fields.optionalInt("dilation", 1),
                fields.optionalBoolean("bias", true), fields.optionalInt("groups", 1));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException("needs input [N, C, H, W], got " + input);
        }
        if (input.dim(1) % groups != 0) {
            throw new IllegalArgumentException(groups + " groups need input channels in multiples of " + groups
                    + ", got " + input);
        }
        ConvGeometry g = new ConvGeometry(input.dim(0), input.dim(1), input.dim(2), input.dim(3), kernelH, kernelW,
                stride, padding, dilation);
        return Shape.of(input.dim(0), out, g.outHeight(), g.outWidth());
    }

    /** The weight {@code (out, in, kernelH, kernelW)} and, when there is one, the bias. */
    @Override
    public long parameterCount(Shape input) {
        return ((long) input.dim(1) * kernelH * kernelW + (bias ? 1 : 0)) * out;
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        outputShape(input);
        return new Conv2d(backend, init, input.dim(1), out, kernelH, kernelW, stride, padding, dilation, groups,
                bias);
    }

    @Override
    public void writeFields(ObjectNode node) {
        node.put("out", out);
        if (kernelH == kernelW) {
            node.put("kernel", kernelH);
        } else {
            ArrayNode kernel = node.putArray("kernel");
            kernel.add(kernelH);
            kernel.add(kernelW);
        }
        node.put("stride", stride);
        node.put("padding", padding);
        node.put("dilation", dilation);
        if (groups != 1) {
            node.put("groups", groups);
        }
        node.put("bias", bias);
    }
}
