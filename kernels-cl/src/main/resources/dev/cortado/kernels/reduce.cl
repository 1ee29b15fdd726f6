/*
 * Reductions. x is viewed as (outer, length, inner) and summed over the middle axis:
 * out[o*inner + i] = alpha * sum_l x[(o*length + l)*inner + i] + beta * out[o*inner + i] (out not read when
 * beta is 0). Both kernels add in a fixed order, so results do not change from run to run.
 */

/* Work-items per group of sum_grouped; a power of two, set per device with -DREDUCE_GROUP=n. */
#ifndef REDUCE_GROUP
#define REDUCE_GROUP 256
#endif

/* One work-item per output: for short reductions or many outputs. */
__kernel void sum_serial(const int outer, const int length, const int inner, const float alpha, const float beta,
                         const __global float* x, const int xOff, __global float* out, const int outOff) {
    const int idx = (int) get_global_id(0);
    if (idx >= outer * inner) {
        return;
    }
    const int o = idx / inner;
    const int i = idx % inner;
    const __global float* row = x + xOff + o * length * inner + i;
    float acc = 0.0f;
    for (int l = 0; l < length; l++) {
        acc += row[l * inner];
    }
    const float r = alpha * acc;
    out[outOff + idx] = beta == 0.0f ? r : r + beta * out[outOff + idx];
}

/*
 * One group of REDUCE_GROUP work-items per output: each work-item adds a strided share of the length, then the
 * group adds the partial sums as a tree in local memory. For long reductions.
 */
__kernel void sum_grouped(const int outer, const int length, const int inner, const float alpha, const float beta,
                          const __global float* x, const int xOff, __global float* out, const int outOff) {
    __local float partial[REDUCE_GROUP];
    const int idx = (int) get_group_id(0);
    const int lid = (int) get_local_id(0);
    const int o = idx / inner;
    const int i = idx % inner;
    const __global float* row = x + xOff + o * length * inner + i;
    float acc = 0.0f;
    for (int l = lid; l < length; l += REDUCE_GROUP) {
        acc += row[l * inner];
    }
    partial[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int span = REDUCE_GROUP / 2; span > 0; span /= 2) {
        if (lid < span) {
            partial[lid] += partial[lid + span];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        const float r = alpha * partial[0];
        out[outOff + idx] = beta == 0.0f ? r : r + beta * out[outOff + idx];
    }
}

/* out[r] = the column of the first maximum of row r, as a float; one work-item per row. */
__kernel void argmax_rows(const int rows, const int cols, const __global float* x, const int xOff,
                          __global float* out, const int outOff) {
    const int r = (int) get_global_id(0);
    if (r >= rows) {
        return;
    }
    const __global float* row = x + xOff + r * cols;
    int best = 0;
    float bestValue = row[0];
    for (int c = 1; c < cols; c++) {
        const float v = row[c];
        if (v > bestValue) {
            best = c;
            bestValue = v;
        }
    }
    out[outOff + r] = (float) best;
}
