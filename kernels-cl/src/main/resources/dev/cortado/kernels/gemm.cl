/*
 * Tiled single-precision GEMM on packed row-major matrices, batched with strides:
 * C[b] = alpha * op(A[b]) * op(B[b]) + beta * C[b] (C not read when beta is 0), as dev.cortado.backend.GemmSpec
 * describes. op(A) is m x k (A stored k x m when TRANS_A), op(B) is k x n (B stored n x k when TRANS_B).
 *
 * A work-group computes a TILE_M x TILE_N block of C. Per step it stages a TILE_K-deep slice of A and B in
 * local memory, then each work-item accumulates a WORK_M x WORK_N block of outputs in registers, at rows
 * tm + i*(TILE_M/WORK_M). Its columns are interleaved, tn + j*(TILE_N/WORK_N), so that neighbouring work-items
 * touch neighbouring columns (coalesced on GPUs); or, with WORK_N_CONTIGUOUS, adjacent, tn*WORK_N + j, so that
 * one work-item's columns form a vector the compiler can use (CPU devices, where a work-item runs on one core
 * and the compiler vectorizes within it). Launch: local size (TILE_N/WORK_N, TILE_M/WORK_M, 1), global size (ceil(n/TILE_N)*TILE_N/WORK_N,
 * ceil(m/TILE_M)*TILE_M/WORK_M, batch). Edges are handled by loading zeros and masking stores, so any m, n, k
 * work. The host picks the tile sizes per device and passes them with -D.
 */

#ifndef TILE_M
#define TILE_M 32
#endif
#ifndef TILE_N
#define TILE_N 32
#endif
#ifndef TILE_K
#define TILE_K 8
#endif
#ifndef WORK_M
#define WORK_M 4
#endif
#ifndef WORK_N
#define WORK_N 4
#endif
#ifndef WORK_N_CONTIGUOUS
#define WORK_N_CONTIGUOUS 0
#endif
#ifndef TRANS_A
#define TRANS_A 0
#endif
#ifndef TRANS_B
#define TRANS_B 0
#endif

#define THREADS_M (TILE_M / WORK_M)
#define THREADS_N (TILE_N / WORK_N)
#define THREADS (THREADS_M * THREADS_N)
/* Elements of each staged slice, and how many each work-item loads (a constant trip count unrolls fully). */
#define SLICE_A (TILE_M * TILE_K)
#define SLICE_B (TILE_N * TILE_K)
#define LOADS_A ((SLICE_A + THREADS - 1) / THREADS)
#define LOADS_B ((SLICE_B + THREADS - 1) / THREADS)
/* Column j of work-item tn's block within the tile, and the s-th slice element that work-item tid stages. */
#if WORK_N_CONTIGUOUS
#define TILE_COLUMN(tn, j) ((tn) * WORK_N + (j))
#define STAGED_ELEMENT(s, loads) (tid * (loads) + (s))
#else
#define TILE_COLUMN(tn, j) ((tn) + (j) * THREADS_N)
#define STAGED_ELEMENT(s, loads) (tid + (s) * THREADS)
#endif
/* One float of padding per local row keeps column-wise tile writes off a single memory bank. */
#define TILE_PAD 1

__kernel void gemm_tiled(const int m, const int n, const int k, const float alpha, const float beta,
                         const __global float* a, const int aOff, const int strideA,
                         const __global float* b, const int bOff, const int strideB,
                         __global float* c, const int cOff, const int strideC) {
    __local float tileA[TILE_K][TILE_M + TILE_PAD];
    __local float tileB[TILE_K][TILE_N + TILE_PAD];

    const int tn = (int) get_local_id(0);
    const int tm = (int) get_local_id(1);
    const int tid = tm * THREADS_N + tn;
    const int col0 = (int) get_group_id(0) * TILE_N;
    const int row0 = (int) get_group_id(1) * TILE_M;
    const int batch = (int) get_group_id(2);
    const __global float* matA = a + aOff + batch * strideA;
    const __global float* matB = b + bOff + batch * strideB;
    __global float* matC = c + cOff + batch * strideC;

    float acc[WORK_M][WORK_N];
#pragma unroll
    for (int i = 0; i < WORK_M; i++) {
#pragma unroll
        for (int j = 0; j < WORK_N; j++) {
            acc[i][j] = 0.0f;
        }
    }

    for (int k0 = 0; k0 < k; k0 += TILE_K) {
        /* Stage A along the stored layout's fast axis: each work-item loads every THREADS-th element, or its own
           run of LOADS_A elements (WORK_N_CONTIGUOUS, so one work-item's loads are adjacent). */
#pragma unroll
        for (int s = 0; s < LOADS_A; s++) {
            const int l = STAGED_ELEMENT(s, LOADS_A);
            if (SLICE_A % THREADS != 0 && l >= SLICE_A) {
                break;
            }
#if TRANS_A
            const int kk = l / TILE_M;
            const int r = l % TILE_M;
            const int gk = k0 + kk;
            const int gr = row0 + r;
            tileA[kk][r] = (gk < k && gr < m) ? matA[gk * m + gr] : 0.0f;
#else
            const int r = l / TILE_K;
            const int kk = l % TILE_K;
            const int gk = k0 + kk;
            const int gr = row0 + r;
            tileA[kk][r] = (gk < k && gr < m) ? matA[gr * k + gk] : 0.0f;
#endif
        }
        /* Stage B the same way. */
#pragma unroll
        for (int s = 0; s < LOADS_B; s++) {
            const int l = STAGED_ELEMENT(s, LOADS_B);
            if (SLICE_B % THREADS != 0 && l >= SLICE_B) {
                break;
            }
#if TRANS_B
            const int cc = l / TILE_K;
            const int kk = l % TILE_K;
            const int gk = k0 + kk;
            const int gc = col0 + cc;
            tileB[kk][cc] = (gk < k && gc < n) ? matB[gc * k + gk] : 0.0f;
#else
            const int kk = l / TILE_N;
            const int cc = l % TILE_N;
            const int gk = k0 + kk;
            const int gc = col0 + cc;
            tileB[kk][cc] = (gk < k && gc < n) ? matB[gk * n + gc] : 0.0f;
#endif
        }
        barrier(CLK_LOCAL_MEM_FENCE);

#pragma unroll
        for (int kk = 0; kk < TILE_K; kk++) {
            float av[WORK_M];
            float bv[WORK_N];
#pragma unroll
            for (int i = 0; i < WORK_M; i++) {
                av[i] = tileA[kk][tm + i * THREADS_M];
            }
#pragma unroll
            for (int j = 0; j < WORK_N; j++) {
                bv[j] = tileB[kk][TILE_COLUMN(tn, j)];
            }
#pragma unroll
            for (int i = 0; i < WORK_M; i++) {
#pragma unroll
                for (int j = 0; j < WORK_N; j++) {
                    acc[i][j] += av[i] * bv[j];
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

#pragma unroll
    for (int i = 0; i < WORK_M; i++) {
        const int row = row0 + tm + i * THREADS_M;
#pragma unroll
        for (int j = 0; j < WORK_N; j++) {
            const int col = col0 + TILE_COLUMN(tn, j);
            if (row < m && col < n) {
                const float r = alpha * acc[i][j];
                matC[row * n + col] = beta == 0.0f ? r : r + beta * matC[row * n + col];
            }
        }
    }
}
