#!/usr/bin/env python3
"""PyTorch's side of `cortado train` on real data: the same model (built from Cortado's spec), recipe (SGD with
momentum 0.9, lr 0.01, batches of 64 reshuffled every epoch, inputs x/255; for the built-in ResNets lr 0.05, weight
decay 5e-4 and a cosine decay to 0 step by step, as `cortado train` gives them) and epoch structure (a pass over the
training split, then an evaluation on the test split). Prints one JSON line per epoch with its training images/s,
timed over the training steps only, as `cortado train` times them.

    /usr/bin/python3 benchmarks/scripts/pytorch_train_epochs.py --model lenet5 --epochs 2 [--threads 2] \
        [--batch-size 64]

Set OPENBLAS_NUM_THREADS beside --threads (compare-with-pytorch.sh picks the best setting). The process's peak
RSS is what /usr/bin/time -f %M reports for it.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools"))
from torch_eval import idx, model as spec_model  # noqa: E402  (tools/torch_eval.py: Cortado spec -> torch.nn.Sequential)

SPECS = os.path.join(ROOT, "runtime", "src", "main", "resources", "dev", "cortado", "model")


def split(data_dir, prefix, shape):
    images = idx(data_dir, prefix + "-images-idx3-ubyte")
    return images.float().div(255).reshape(len(images), *shape), idx(data_dir, prefix + "-labels-idx1-ubyte").long()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="lenet5")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    with open(os.path.join(SPECS, args.model + ".json")) as f:
        spec = json.load(f)
    net = spec_model(spec)
    x, y = split(args.data, "train", spec["input"])
    test_x, test_y = split(args.data, "t10k", spec["input"])
    resnet = args.model.startswith("resnet")
    opt = torch.optim.SGD(net.parameters(), lr=0.05 if resnet else 0.01, momentum=0.9,
                          weight_decay=5e-4 if resnet else 0)
    steps_per_epoch = (len(x) + args.batch_size - 1) // args.batch_size
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.epochs * steps_per_epoch) if resnet else None
    for epoch in range(1, args.epochs + 1):
        net.train()
        order = torch.randperm(len(x))
        start = time.perf_counter()
        for b in range(0, len(x), args.batch_size):
            batch = order[b:b + args.batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(net(x[batch]), y[batch])
            loss.backward()
            opt.step()
            if schedule:
                schedule.step()
            loss.item()
        seconds = time.perf_counter() - start
        net.eval()
        with torch.no_grad():
            correct = sum(int((net(test_x[i:i + 1000]).argmax(1) == test_y[i:i + 1000]).sum())
                          for i in range(0, len(test_x), 1000))
        print(json.dumps({"framework": "pytorch " + torch.__version__, "model": args.model, "epoch": epoch,
                          "batch": args.batch_size, "threads": args.threads,
                          "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
                          "images_per_s": round(len(x) / seconds),
                          "test_accuracy": round(100 * correct / len(test_x), 2)}), flush=True)


if __name__ == "__main__":
    main()
