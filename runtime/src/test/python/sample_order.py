#!/usr/bin/env python3
"""The shuffled sample order of dev.cortado.data.SampleOrder.Shuffled, written from its Javadoc alone.

Run by hand: its output is pinned in SampleOrderTest.shuffleIsPinned, and a PyTorch script can import
shuffled_order() to visit Fashion-MNIST in the same order as a Cortado run.
"""

MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF
KEY_TWEAK = 0x73687566666C6521  # "shuffle!"


def philox4x32_10(counter, key):
    c = list(counter)
    k = list(key)
    for _ in range(10):
        p0 = 0xD2511F53 * c[0]
        p1 = 0xCD9E8D57 * c[2]
        c = [((p1 >> 32) ^ c[1] ^ k[0]) & MASK32, p1 & MASK32, ((p0 >> 32) ^ c[3] ^ k[1]) & MASK32, p0 & MASK32]
        k = [(k[0] + 0x9E3779B9) & MASK32, (k[1] + 0xBB67AE85) & MASK32]
    return c


def words(key, stream):
    block = 0
    while True:
        yield from philox4x32_10([block & MASK32, block >> 32, stream & MASK32, stream >> 32],
                                 [key & MASK32, key >> 32])
        block += 1


def shuffled_order(count, seed, epoch):
    draws = words((seed & MASK64) ^ KEY_TWEAK, epoch & MASK64)
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        bound = i + 1
        m = next(draws) * bound
        if (m & MASK32) < bound:
            threshold = ((1 << 32) - bound) % bound
            while (m & MASK32) < threshold:
                m = next(draws) * bound
        j = m >> 32
        order[i], order[j] = order[j], order[i]
    return order


if __name__ == "__main__":
    assert philox4x32_10([0, 0, 0, 0], [0, 0]) == [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
    print("seed 42, epoch 0:", shuffled_order(10, 42, 0))
    print("seed -1, epoch 2^63-1:", shuffled_order(10, -1, (1 << 63) - 1))
