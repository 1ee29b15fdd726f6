#!/usr/bin/env python3
"""Writes Fashion-MNIST in the other formats cortado reads, to try them on real images without downloading more:
OUT/cifar (CIFAR-10 binary: each 28x28 image padded to 32x32 with black and copied into the three channels, 10,000
records a file, class names in batches.meta.txt), OUT/images (PNGs of the first 5,000 training and 1,000 test
images in train/<class>/ and test/<class>/) and OUT/table.csv and OUT/prices.csv (600 rows of made-up boxes:
classify the kind, regress the price). Only the Python standard library.

usage: tools/demo_datasets.py [FASHION_MNIST_DIR] OUT
"""
import gzip
import os
import random
import struct
import sys
import zlib

NAMES = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle-boot"]


def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    rank = struct.unpack(">I", data[:4])[0] & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return dims, data[4 + 4 * rank:]


def padded(image):
    """A 28x28 image in the middle of a black 32x32 one."""
    rows = [bytes(2) + image[r * 28:(r + 1) * 28] + bytes(2) for r in range(28)]
    return bytes(64) + b"".join(rows) + bytes(64)


def write_png(path, plane):
    """A 32x32 RGB PNG whose three channels are the grey plane."""
    raw = b"".join(b"\x00" + bytes(v for p in plane[y * 32:(y + 1) * 32] for v in (p, p, p)) for y in range(32))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main(source, out):
    cifar = os.path.join(out, "cifar")
    os.makedirs(cifar, exist_ok=True)
    for split, prefix, images_kept in (("train", "train", 5000), ("test", "t10k", 1000)):
        (count, _, _), images = idx(os.path.join(source, prefix + "-images-idx3-ubyte.gz"))
        _, labels = idx(os.path.join(source, prefix + "-labels-idx1-ubyte.gz"))
        for first in range(0, count, 10000):
            name = "test_batch.bin" if split == "test" else "data_batch_%d.bin" % (first // 10000 + 1)
            with open(os.path.join(cifar, name), "wb") as f:
                for i in range(first, min(count, first + 10000)):
                    plane = padded(images[i * 784:(i + 1) * 784])
                    f.write(bytes([labels[i]]) + plane + plane + plane)
        for i in range(images_kept):
            folder = os.path.join(out, "images", split, NAMES[labels[i]])
            os.makedirs(folder, exist_ok=True)
            write_png(os.path.join(folder, "%05d.png" % i), padded(images[i * 784:(i + 1) * 784]))
    with open(os.path.join(cifar, "batches.meta.txt"), "w") as f:
        f.write("\n".join(NAMES) + "\n\n")
    rng = random.Random(1)
    with open(os.path.join(out, "table.csv"), "w") as table, open(os.path.join(out, "prices.csv"), "w") as prices:
        table.write("length,width,height,weight,kind,price\n")
        prices.write("length,width,height,weight,price\n")
        for _ in range(600):
            kind = rng.choice(["small", "large"])
            size = 1.0 if kind == "small" else 2.0
            length, width, height = (size * rng.uniform(0.8, 1.2) for _ in range(3))
            weight = length * width * height * rng.uniform(0.9, 1.1)
            price = 10 + 5 * weight + rng.gauss(0, 0.5)
            table.write("%.3f,%.3f,%.3f,%.3f,%s,%.2f\n" % (length, width, height, weight, kind, price))
            prices.write("%.3f,%.3f,%.3f,%.3f,%.2f\n" % (length, width, height, weight, price))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip().splitlines()[-1])
    main(sys.argv[1] if len(sys.argv) == 3 else "/usr/share/datasets/fashion-mnist", sys.argv[-1])
