#!/usr/bin/env python3
"""PyTorch's side of the side-by-side training benchmark: the same models, batches and optimizer as
`cortado bench`, on the CPU with 2 threads; then inference, the models in eval mode without gradients over the same
batches, as `cortado bench` evaluates. Prints one JSON line per model.

    /usr/bin/python3 benchmarks/scripts/pytorch_training_throughput.py [--data DIR] [--threads 2] [--models lenet5,mlp]
        [--list-steps]

The models are Cortado's built-ins (lenet5, mlp, resnet8, resnet20), each built from its spec by tools/torch_eval.py.

Use Debian's python3-torch with libopenblas0-pthread installed: with the reference BLAS PyTorch is an unfair,
much slower peer. OpenBLAS starts threads of its own beside PyTorch's (OPENBLAS_NUM_THREADS sets how many);
compare-with-pytorch.sh tries several settings and takes PyTorch's best.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools"))
from torch_eval import idx, model as spec_model  # noqa: E402  (tools/torch_eval.py: Cortado spec -> torch.nn.Sequential)

BATCH = 64
# Steps per timed repeat: a second or so of work for each model. compare-with-pytorch.sh asks for them
# (--list-steps) and warms Cortado up for three times as many batches.
STEPS = {"lenet5": 200, "mlp": 1000, "resnet8": 30, "resnet20": 10}
SPECS = os.path.join(ROOT, "runtime", "src", "main", "resources", "dev", "cortado", "model")


def models(names):
    """The named built-in models, built from Cortado's own model specs, in training mode."""
    nets = {}
    for name in names:
        with open(os.path.join(SPECS, name + ".json")) as f:
            nets[name] = spec_model(json.load(f)).train()  # model() returns its modules in eval mode
    return nets


def load_images(data_dir, count):
    x = idx(data_dir, "train-images-idx3-ubyte")[:count].float().div(255).reshape(count, 1, 28, 28)
    return x, idx(data_dir, "train-labels-idx1-ubyte")[:count].long()


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


def measure_inference(model, x, repeats):
    """Images/s of evaluation passes over x in batches, as `cortado bench` times its evaluation: loss and hits."""
    model.eval()

    def run():
        with torch.no_grad():
            for b in range(0, x.shape[0], BATCH):
                logits = model(x[b:b + BATCH])
                F.cross_entropy(logits, torch.zeros(logits.shape[0], dtype=torch.long)).item()
                logits.argmax(1).sum().item()

    run()
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        rates.append(x.shape[0] / (time.perf_counter() - start))
    model.train()
    return statistics.median(rates)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--models", default="lenet5,mlp")
    parser.add_argument("--list-steps", action="store_true", help="print 'MODEL STEPS' lines and exit")
    args = parser.parse_args()
    if args.list_steps:
        for name in args.models.split(","):
            print(name, STEPS[name])
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, y = load_images(args.data, 64 * BATCH)
    for name, model in models(args.models.split(",")).items():
        median, rates = measure(model, x, y, STEPS[name], args.repeats)
        inference = measure_inference(model, x, args.repeats)
        print(json.dumps({"framework": "pytorch " + torch.__version__, "model": name, "batch": BATCH,
                          "threads": args.threads,
                          "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
                          "images_per_s": round(median),
                          "runs": [round(r) for r in rates],
                          "inference_images_per_s": round(inference)}), flush=True)


if __name__ == "__main__":
    main()
