package dev.cortado.opencl;

import static org.jocl.blast.CLBlastLayout.CLBlastLayoutRowMajor;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeNo;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeYes;

import dev.cortado.backend.Backend;
import dev.cortado.backend.GemmSpec;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import org.jocl.cl_command_queue;
import org.jocl.blast.CLBlast;

/**
 * GEMM on CLBlast (bundled by org.jocl:jocl-blast), with its strided-batched SGEMM on the backend's queue.
 * Products CLBlast does not cover exactly as {@link GemmSpec} says go to the tiled kernel: {@code k = 0} (CLBlast
 * rejects it) and {@code beta = 0} over a C that may hold NaN (BLAS multiplies C by beta, and 0 * NaN is NaN).
 */
final class ClBlastGemm implements GemmEngine {
    private final cl_command_queue queue;
    private final Launcher launcher;
    private final TiledGemm tiled;
    private final Backend backend;

    private ClBlastGemm(cl_command_queue queue, Launcher launcher, TiledGemm tiled, Backend backend) {
        this.queue = queue;
        this.launcher = launcher;
        this.tiled = tiled;
        this.backend = backend;
    }

    /**
     * CLBlast on this queue, or the reason it cannot load (its native library is missing for this platform, for
     * instance) as the exception's message.
     */
    static ClBlastGemm open(cl_command_queue queue, Launcher launcher, TiledGemm tiled, Backend backend) {
        try {
            CLBlast.setExceptionsEnabled(true);
        } catch (LinkageError e) {
            throw new IllegalStateException("CLBlast could not be loaded: " + e, e);
        }
        return new ClBlastGemm(queue, launcher, tiled, backend);
    }

    @Override
    public void run(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        if (spec.m() == 0 || spec.n() == 0) {
            return;
        }
        if (spec.k() == 0) {
            tiled.run(spec, a, b, c);
            return;
        }
        if (spec.beta() == 0f) {
            zeroOutputs(spec, c);
        }
        long lda = spec.transA() ? spec.m() : spec.k();
        long ldb = spec.transB() ? spec.k() : spec.n();
        CLBlast.CLBlastSgemmStridedBatched(CLBlastLayoutRowMajor,
                spec.transA() ? CLBlastTransposeYes : CLBlastTransposeNo,
                spec.transB() ? CLBlastTransposeYes : CLBlastTransposeNo,
                spec.m(), spec.n(), spec.k(), spec.alpha(),
                launcher.bufferOf(a).mem(), a.offset(), lda, spec.strideA(),
                launcher.bufferOf(b).mem(), b.offset(), ldb, spec.strideB(),
                spec.beta(),
                launcher.bufferOf(c).mem(), c.offset(), spec.n(), spec.strideC(),
                spec.batch(), queue, null);
    }

    /** Sets every C matrix of the batch to 0, leaving the gaps between them alone. */
    private void zeroOutputs(GemmSpec spec, Tensor c) {
        Tensor flat = c.reshape(Shape.of(Math.toIntExact(c.size())));
        long matrix = (long) spec.m() * spec.n();
        if (spec.batch() == 1 || spec.strideC() == matrix) {
            backend.fill(flat.slice(0, Math.toIntExact(spec.extentC())), 0f);
            return;
        }
        for (int i = 0; i < spec.batch(); i++) {
            int start = Math.toIntExact(i * spec.strideC());
            backend.fill(flat.slice(start, Math.toIntExact(start + matrix)), 0f);
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
