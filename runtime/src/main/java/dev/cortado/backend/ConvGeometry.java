package dev.cortado.backend;

/**
 * The geometry of a 2-D convolution over an NCHW batch, shared by {@code im2col} and {@code col2im}.
 *
 * <p>The column matrix has {@link #columnRows()} = {@code C*kernelH*kernelW} rows and {@link #columnCols()} =
 * {@code N*outH*outW} columns. Row {@code (c*kernelH + i)*kernelW + j}, column {@code (n*outH + oy)*outW + ox}
 * holds {@code x[n][c][oy*stride - padding + i*dilation][ox*stride - padding + j*dilation]}, or 0 where that
 * falls in the padding. With weights as a {@code (C_out, C*kernelH*kernelW)} matrix, one GEMM gives the output
 * as {@code (C_out, N, outH*outW)}.
 */
public record ConvGeometry(int batch, int channels, int height, int width, int kernelH, int kernelW, int stride,
                           int padding, int dilation) {

    public ConvGeometry {
        if (batch < 1 || channels < 1 || height < 1 || width < 1 || kernelH < 1 || kernelW < 1 || stride < 1
                || padding < 0 || dilation < 1) {
            throw new IllegalArgumentException("bad convolution geometry " + this);
        }
        if (outHeight(height, kernelH, stride, padding, dilation) < 1
                || outHeight(width, kernelW, stride, padding, dilation) < 1) {
            throw new IllegalArgumentException("convolution kernel " + kernelH + "x" + kernelW + " (dilation "
                    + dilation + ", padding " + padding + ") does not fit the " + height + "x" + width + " input");
        }
    }

    private static int outHeight(int size, int kernel, int stride, int padding, int dilation) {
        return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
    }

    public int outHeight() {
        return outHeight(height, kernelH, stride, padding, dilation);
    }

    public int outWidth() {
        return outHeight(width, kernelW, stride, padding, dilation);
    }

    public int columnRows() {
        return channels * kernelH * kernelW;
    }

    public long columnCols() {
        return (long) batch * outHeight() * outWidth();
    }

    public long imageSize() {
        return (long) batch * channels * height * width;
    }
}
