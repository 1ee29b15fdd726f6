/*
 * Inverted dropout with the mask of dev.cortado.random.Philox, bit for bit: element i is kept when word i%4 of
 * philox4x32-10(counter = (lo(i/4), hi(i/4), lo(stream), hi(stream)), key = (lo(seed), hi(seed))), mapped to
 * [0, 1) from its top 24 bits, is >= p. Element counts stay below 2^31, so hi(i/4) is always 0.
 */

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u
#define PHILOX_ROUNDS 10

/*
 * One work-item per block of four elements: out[i] = u(i) >= p ? in[i] * scale : 0 for i in [4*block, 4*block+4).
 * Forward passes x and y, backward dy and dx: the mask is regenerated, never stored.
 */
__kernel void dropout_apply(const int n, const float p, const float scale, const uint seedLo, const uint seedHi,
                            const uint streamLo, const uint streamHi,
                            const __global float* in, const int inOff, __global float* out, const int outOff) {
    const int block = (int) get_global_id(0);
    const int first = block * 4;
    if (first >= n) {
        return;
    }
    uint c0 = (uint) block;
    uint c1 = 0u;
    uint c2 = streamLo;
    uint c3 = streamHi;
    uint k0 = seedLo;
    uint k1 = seedHi;
    for (int round = 0; round < PHILOX_ROUNDS; round++) {
        const uint lo0 = PHILOX_M0 * c0;
        const uint hi0 = mul_hi(PHILOX_M0, c0);
        const uint lo1 = PHILOX_M1 * c2;
        const uint hi1 = mul_hi(PHILOX_M1, c2);
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    const float unit = 1.0f / 16777216.0f;
    uint words[4];
    words[0] = c0;
    words[1] = c1;
    words[2] = c2;
    words[3] = c3;
    for (int w = 0; w < 4 && first + w < n; w++) {
        const float u = (float) (words[w] >> 8) * unit;
        out[outOff + first + w] = u >= p ? in[inOff + first + w] * scale : 0.0f;
    }
}
