#!/usr/bin/env python3
"""PyTorch's side of the SGEMM comparison: square torch.mm on the CPU (Debian's python3-torch calls OpenBLAS), timed
as benchmarks' SgemmRate times Cortado's: products for about a second to warm up, then five rounds of about half a
second, the median round. Prints one JSON line per size.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/scripts/pytorch_sgemm.py [--threads 2] [n ...]
"""
import argparse
import json
import os
import statistics
import time

import torch


def mean_seconds(a, b, c, seconds):
    """Runs products for about `seconds`; returns the mean time of one."""
    start = time.perf_counter()
    count = 0
    while True:
        torch.mm(a, b, out=c)
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("sizes", type=int, nargs="*", default=[256, 512, 1024])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for n in args.sizes:
        a = torch.rand(n, n) * 2 - 1
        b = torch.rand(n, n) * 2 - 1
        c = torch.empty(n, n)
        mean_seconds(a, b, c, 1.0)
        rates = [2 * n ** 3 / mean_seconds(a, b, c, 0.5) / 1e9 for _ in range(5)]
        print(json.dumps({"n": n, "gflops": round(statistics.median(rates), 1), "threads": args.threads,
                          "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")}), flush=True)


if __name__ == "__main__":
    main()
