package dev.cortado.cpu.gemm;

/**
 * One thread's scratch arrays for GEMM, grown on demand and kept for the thread's life, so steady-state products
 * allocate no packing memory. Their size follows the blocking, not the product (packed B holds at most
 * {@link Blocking#sharedBFloats}, half of L3), except the partial sums of a product whose k is split: one C per
 * thread. A thread that hands a product to the pool may share its packed B and its partial sums with the workers
 * for the length of that call; every thread packs its own A and computes edge tiles in its own scratch.
 */
final class Workspace {
    private static final ThreadLocal<Workspace> CURRENT = ThreadLocal.withInitial(Workspace::new);

    private float[] packedA = new float[0];
    private float[] packedB = new float[0];
    private float[] partials = new float[0];
    private float[] tile = new float[0];

    private Workspace() {
    }

    /** This thread's workspace. */
    static Workspace current() {
        return CURRENT.get();
    }

    float[] packedA(int size) {
        if (packedA.length < size) {
            packedA = new float[size];
        }
        return packedA;
    }

    float[] packedB(int size) {
        if (packedB.length < size) {
            packedB = new float[size];
        }
        return packedB;
    }

    /** Per-slice sums of a product whose k was split between threads. */
    float[] partials(int size) {
        if (partials.length < size) {
            partials = new float[size];
        }
        return partials;
    }

    /** One kernel tile, for edges of C narrower than the kernel. */
    float[] tile(int size) {
        if (tile.length < size) {
            tile = new float[size];
        }
        return tile;
    }
}
