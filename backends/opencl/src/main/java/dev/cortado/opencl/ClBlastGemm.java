package dev.cortado.opencl;

import static org.jocl.blast.CLBlastLayout.CLBlastLayoutRowMajor;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeNo;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeYes;

import dev.cortado.backend.GemmSpec;
import dev.cortado.kernel.GemmEngine;
import dev.cortado.tensor.Tensor;
import org.jocl.cl_command_queue;
import org.jocl.cl_mem;
import org.jocl.blast.CLBlast;

/**
 * GEMM on CLBlast (bundled by org.jocl:jocl-blast), with its strided-batched SGEMM on the backend's queue.
 * Products with {@code k = 0}, which CLBlast rejects, never come here: the backend runs them on the tiled kernel.
 * With {@code beta = 0} CLBlast does not read C (NaN there stays out of the result), as the GEMM tests check on
 * both engines.
 */
final class ClBlastGemm implements GemmEngine {
    private final cl_command_queue queue;

    private ClBlastGemm(cl_command_queue queue) {
        this.queue = queue;
    }

    /**
     * CLBlast on this queue, or the reason it cannot load (its native library is missing for this platform, for
     * instance) as the exception's message.
     */
    static ClBlastGemm open(cl_command_queue queue) {
        try {
            CLBlast.setExceptionsEnabled(true);
        } catch (LinkageError e) {
            throw new IllegalStateException("CLBlast could not be loaded: " + e, e);
        }
        return new ClBlastGemm(queue);
    }

    @Override
    public void run(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        int transA = spec.transA() ? CLBlastTransposeYes : CLBlastTransposeNo;
        int transB = spec.transB() ? CLBlastTransposeYes : CLBlastTransposeNo;
        long lda = spec.transA() ? spec.m() : spec.k();
        long ldb = spec.transB() ? spec.k() : spec.n();
        cl_mem memA = ((ClBuffer) a.buffer()).mem();
        cl_mem memB = ((ClBuffer) b.buffer()).mem();
        cl_mem memC = ((ClBuffer) c.buffer()).mem();
        // The strided call rejects the zero strides of a single product, so that goes to plain SGEMM.
        if (spec.batch() == 1) {
            CLBlast.CLBlastSgemm(CLBlastLayoutRowMajor, transA, transB, spec.m(), spec.n(), spec.k(), spec.alpha(),
                    memA, a.offset(), lda, memB, b.offset(), ldb, spec.beta(), memC, c.offset(), spec.n(), queue,
                    null);
        } else {
            CLBlast.CLBlastSgemmStridedBatched(CLBlastLayoutRowMajor, transA, transB, spec.m(), spec.n(), spec.k(),
                    spec.alpha(), memA, a.offset(), lda, spec.strideA(), memB, b.offset(), ldb, spec.strideB(),
                    spec.beta(), memC, c.offset(), spec.n(), spec.strideC(), spec.batch(), queue, null);
        }
    }

    @Override
    public String describe() {
        return "CLBlast";
    }

    /** Drops CLBlast's compiled programs, which hold the context alive. */
    @Override
    public void close() {
        CLBlast.CLBlastClearCache();
    }
}
