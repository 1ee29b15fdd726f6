package dev.cortado.cuda;

import dev.cortado.kernel.ObjectLedger;

/** The ledger of the CUDA objects one backend created and released, by kind. */
final class CudaObjects extends ObjectLedger<CudaObjects.Kind> {

    /** The kinds of CUDA objects the backend holds. */
    enum Kind { PRIMARY_CONTEXT, STREAM, BUFFER, PINNED_HOST_BUFFER, MODULE, CUBLAS_HANDLE }

    CudaObjects() {
        super("CUDA", Kind.class);
    }
}
