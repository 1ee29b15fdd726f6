package dev.cortado.opencl;

import dev.cortado.kernel.ObjectLedger;

/** The ledger of the OpenCL objects one backend created and released, by kind. */
final class ClObjects extends ObjectLedger<ClObjects.Kind> {

    /** The kinds of OpenCL objects the backend creates. */
    enum Kind { CONTEXT, QUEUE, BUFFER, PROGRAM, KERNEL }

    ClObjects() {
        super("OpenCL", Kind.class);
    }
}
