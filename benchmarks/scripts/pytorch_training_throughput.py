#!/usr/bin/env python3
"""PyTorch's side of the side-by-side training benchmark: the same models, batches and optimizer as Cortado's
TrainingThroughput benchmark, on the CPU with 2 threads. Prints one JSON line per model.

    /usr/bin/python3 benchmarks/scripts/pytorch_training_throughput.py [--data DIR] [--threads 2]

Use Debian's python3-torch with libopenblas0-pthread installed: with the reference BLAS PyTorch is an unfair,
much slower peer. OpenBLAS starts threads of its own beside PyTorch's (OPENBLAS_NUM_THREADS sets how many);
compare-with-pytorch.sh tries several settings and takes PyTorch's best.
"""
import argparse
import gzip
import json
import os
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

BATCH = 64


def models():
    lenet5 = torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(400, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(),
        torch.nn.Linear(84, 10))
    mlp = torch.nn.Sequential(
        torch.nn.Flatten(), torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
        torch.nn.ReLU(), torch.nn.Linear(128, 10))
    return {"lenet5": lenet5, "mlp": mlp}


def load_images(data_dir, count):
    with gzip.open(os.path.join(data_dir, "train-images-idx3-ubyte.gz")) as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)[: count * 784]
    with gzip.open(os.path.join(data_dir, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:count]
    x = torch.from_numpy(raw.astype(np.float32) / 255.0).reshape(count, 1, 28, 28)
    return x, torch.from_numpy(labels.astype(np.int64))


def measure(model, x, y, steps, repeats):
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    batches = x.shape[0] // BATCH

    def run(n):
        for i in range(n):
            b = i % batches
            xb, yb = x[b * BATCH:(b + 1) * BATCH], y[b * BATCH:(b + 1) * BATCH]
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            loss.item()

    run(max(20, steps // 10))
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(steps)
        rates.append(steps * BATCH / (time.perf_counter() - start))
    return statistics.median(rates), rates


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--models", default="lenet5,mlp")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, y = load_images(args.data, 64 * BATCH)
    steps = {"lenet5": 200, "mlp": 1000}
    for name, model in models().items():
        if name not in args.models.split(","):
            continue
        median, rates = measure(model, x, y, steps[name], args.repeats)
        print(json.dumps({"framework": "pytorch " + torch.__version__, "model": name, "batch": BATCH,
                          "threads": args.threads,
                          "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
                          "images_per_s": round(median),
                          "runs": [round(r) for r in rates]}), flush=True)


if __name__ == "__main__":
    main()
