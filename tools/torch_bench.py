#!/usr/bin/env python3
"""PyTorch's side of the GPU check: the same measurements as `cortado bench` and Cortado's SGEMM benchmark, with
the same models (built from the specs inside cortado.jar by torch_eval.py), on one PyTorch device.

Usage: torch_bench.py --jar cortado.jar [--device cuda] [--models lenet5,mlp] [--batch-sizes 64,256]
                      [--batches 30] [--warmup 2] [--repeats 5] [--gemm 1024,4096] [--gemm-seconds 1]

Prints "device: ...", then one line per figure, in the keys scripts/gpu-check.sh joins on:
    MODEL train BATCH IMAGES_PER_S
    MODEL inference BATCH IMAGES_PER_S
    sgemm N GFLOPS
Exits 2, with the reason on stderr, when the device cannot be used.

It does what Cortado's throughput measurement does, so the ratio compares the frameworks and not the workloads:
synthetic inputs in [0, 1) held on the host, a repetition is one pass over --batches shuffled batches (inference:
in order), each step uploads its batch and reads back the loss and the predictions (Cortado downloads them too),
SGD with momentum 0.9; warm-up repetitions are not counted and the median of the others is reported. Float32
throughout: TF32 is switched off for matrix products and cuDNN convolutions, as Cortado computes in float32.
"""
import argparse
import io
import json
import os
import statistics
import sys
import time
import zipfile

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_eval import model as spec_model  # noqa: E402  (Cortado spec -> torch.nn.Sequential)

SPEC_IN_JAR = "dev/cortado/model/{}.json"


def spec(jar, name):
    with zipfile.ZipFile(jar) as z:
        return json.load(io.TextIOWrapper(z.open(SPEC_IN_JAR.format(name)), encoding="utf-8"))


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(device, run):
    """Seconds that run() takes, up to the moment the device has finished it."""
    start = time.perf_counter()
    run()
    synchronize(device)
    return time.perf_counter() - start


def median_rate(items, device, run, warmups, repeats):
    """The median of items / seconds over the counted repetitions of run()."""
    for _ in range(warmups):
        timed(device, run)
    return statistics.median(items / timed(device, run) for _ in range(repeats))


def throughput(net, x, y, device, args, batch):
    """Training and inference images/s of net on batches of x, y (host tensors)."""
    net = net.to(device)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

    def train():
        net.train()
        for rows in torch.randperm(len(x)).split(batch):
            xb, yb = x[rows].to(device), y[rows].to(device)
            opt.zero_grad()
            logits = net(xb)
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            opt.step()
            torch.stack([loss.detach(), (logits.argmax(1) == yb).sum().float()]).cpu()

    def infer():
        net.eval()
        with torch.no_grad():
            for xb, yb in zip(x.split(batch), y.split(batch)):
                logits = net(xb.to(device))
                loss = F.cross_entropy(logits, yb.to(device))
                torch.cat([loss.view(1), logits.argmax(1).float()]).cpu()

    return (median_rate(len(x), device, train, args.warmup, args.repeats),
            median_rate(len(x), device, infer, args.warmup, args.repeats))


def sgemm(n, device, min_seconds):
    """GFLOP/s of C = A B for n x n float32 matrices, as Cortado's GemmThroughput measures it: one untimed product,
    then runs of 1, 2, 4, ... products until one lasts min_seconds, each ended by a synchronisation."""
    g = torch.Generator().manual_seed(n)
    a = (torch.rand(n, n, generator=g) - 0.5).to(device)
    b = a.clone()
    c = torch.empty(n, n, device=device)
    torch.matmul(a, b, out=c)
    synchronize(device)
    products = 1
    while True:
        seconds = timed(device, lambda: [torch.matmul(a, b, out=c) for _ in range(products)])
        if seconds >= min_seconds:
            return 2 * n ** 3 * products / seconds / 1e9
        products *= 2


def ints(text):
    return [int(v) for v in text.split(",") if v]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", required=True, help="cortado.jar, whose model specs are measured")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--models", default="lenet5,mlp")
    parser.add_argument("--batch-sizes", type=ints, default=[64, 256])
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--gemm", type=ints, default=[1024, 4096])
    parser.add_argument("--gemm-seconds", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        print(f"PyTorch {torch.__version__} sees no CUDA device (built for CUDA {torch.version.cuda})",
              file=sys.stderr)
        return 2
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    print(f"device: {name}, PyTorch {torch.__version__} (CUDA {torch.version.cuda})", flush=True)

    for model_name in args.models.split(","):
        model_spec = spec(args.jar, model_name)
        for batch in args.batch_sizes:
            torch.manual_seed(args.seed)
            net = spec_model(model_spec)
            count = batch * args.batches
            x = torch.rand(count, *model_spec["input"])
            y = torch.randint(0, net(x[:1]).shape[1], (count,))
            train, infer = throughput(net, x, y, device, args, batch)
            print(f"{model_name} train {batch} {train:.1f}", flush=True)
            print(f"{model_name} inference {batch} {infer:.1f}", flush=True)
    for n in args.gemm:
        print(f"sgemm {n} {sgemm(n, device, args.gemm_seconds):.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
