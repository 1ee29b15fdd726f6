package dev.cortado.cuda;

import static jcuda.jcublas.JCublas2.cublasCreate;
import static jcuda.jcublas.JCublas2.cublasDestroy;
import static jcuda.jcublas.JCublas2.cublasGetVersion;
import static jcuda.jcublas.JCublas2.cublasSetStream;
import static jcuda.jcublas.JCublas2.cublasSgemm;
import static jcuda.jcublas.JCublas2.cublasSgemmStridedBatched;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import dev.cortado.backend.GemmSpec;
import dev.cortado.kernel.GemmEngine;
import dev.cortado.tensor.Tensor;
import jcuda.Pointer;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * GEMM on cuBLAS, on the backend's stream in its (primary) context, in plain FP32 (the default math mode: no
 * TF32). Each row-major spec becomes a column-major call ({@link ColumnMajorGemm}); batches use the strided
 * batched SGEMM. With {@code beta = 0} cuBLAS does not read C, so NaN there stays out of the result. Products with
 * {@code k = 0}, whose leading dimensions cuBLAS rejects, never come here: the backend runs them on the tiled kernel.
 */
final class CublasGemm implements GemmEngine {
    private final CudaContext context;
    private final cublasHandle handle;
    private final String version;

    private CublasGemm(CudaContext context, cublasHandle handle, String version) {
        this.context = context;
        this.handle = handle;
        this.version = version;
    }

    /**
     * cuBLAS on the context's stream.
     *
     * @throws IllegalStateException with the reason when libcublas.so.12 does not load or a handle cannot be made
     */
    static CublasGemm open(CudaContext context) {
        LibraryStatus library = CudaLibraries.cublas();
        if (!library.isLoaded()) {
            throw new IllegalStateException(library.problem());
        }
        context.makeCurrent();
        cublasHandle handle = new cublasHandle();
        check(cublasCreate(handle), "cublasCreate");
        context.objects().created(CudaObjects.Kind.CUBLAS_HANDLE);
        try {
            check(cublasSetStream(handle, new cudaStream_t(context.stream())), "cublasSetStream");
            int[] v = new int[1];
            check(cublasGetVersion(handle, v), "cublasGetVersion");
            return new CublasGemm(context, handle, v[0] / 10000 + "." + v[0] / 100 % 100 + "." + v[0] % 100);
        } catch (IllegalStateException e) {
            cublasDestroy(handle);
            context.objects().released(CudaObjects.Kind.CUBLAS_HANDLE);
            throw e;
        }
    }

    @Override
    public void run(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        ColumnMajorGemm g = ColumnMajorGemm.of(spec);
        Pointer first = pointer(g.first() == ColumnMajorGemm.Operand.A ? a : b);
        Pointer second = pointer(g.second() == ColumnMajorGemm.Operand.A ? a : b);
        Pointer alpha = Pointer.to(new float[] {g.alpha()});
        Pointer beta = Pointer.to(new float[] {g.beta()});
        int transFirst = g.transFirst() ? CUBLAS_OP_T : CUBLAS_OP_N;
        int transSecond = g.transSecond() ? CUBLAS_OP_T : CUBLAS_OP_N;
        context.makeCurrent();
        if (g.batch() == 1) {
            int status = cublasSgemm(handle, transFirst, transSecond, g.m(), g.n(), g.k(), alpha, first, g.ldFirst(),
                    second, g.ldSecond(), beta, pointer(c), g.ldc());
            if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
                throw failed("cublasSgemm for " + spec, status);
            }
        } else {
            int status = cublasSgemmStridedBatched(handle, transFirst, transSecond, g.m(), g.n(), g.k(), alpha, first,
                    g.ldFirst(), g.strideFirst(), second, g.ldSecond(), g.strideSecond(), beta, pointer(c), g.ldc(),
                    g.strideC(), g.batch());
            if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
                throw failed("cublasSgemmStridedBatched for " + spec, status);
            }
        }
    }

    private static Pointer pointer(Tensor t) {
        return ((CudaBuffer) t.buffer()).at(t.offset());
    }

    @Override
    public String describe() {
        return "cuBLAS " + version;
    }

    /** Destroys the handle; the backend has waited for the stream. */
    @Override
    public void close() {
        context.makeCurrent();
        cublasDestroy(handle);
        context.objects().released(CudaObjects.Kind.CUBLAS_HANDLE);
    }

    private static void check(int status, String what) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw failed(what, status);
        }
    }

    private static IllegalStateException failed(String what, int status) {
        return new IllegalStateException(what + " failed: " + cublasStatus.stringFor(status));
    }
}
