#!/usr/bin/env python3
"""Trains a Cortado model spec in PyTorch with the recipe of `cortado train`: PyTorch's twin of a Cortado run, for
comparing test accuracies (README.md, "ResNets").

Usage: torch_train.py [--model NAME|SPEC.json] [--data DIR] [--epochs 3] [--batch-size 64] [--lr 0.01]
                      [--momentum 0.9] [--weight-decay 0] [--schedule constant|cosine] [--label-smoothing 0]
                      [--clip-grad-norm 0] [--seed 42] [--threads 2] [--log-every 100]

The network is the torch.nn.Sequential that tools/torch_eval.py builds from the spec (the same layers, the same
state_dict names, PyTorch's default initialization, which Cortado's matches in distribution), trained as `cortado
train` trains: inputs scaled to [0, 1] without normalization or augmentation, batches drawn in a shuffled order
each epoch (the last one smaller), SGD with momentum over all parameters (batch norm's included), the learning
rate per step (cosine: from lr to 0 over all steps), the test split evaluated in eval mode after each epoch.
Prints progress, one line per epoch and the wall time. Needs PyTorch (Debian: apt-get install python3-torch); run
it with OPENBLAS_NUM_THREADS=1 and nothing else heavy running when the times matter. On a machine busier than its
cores, give it --threads 1 (and OMP_WAIT_POLICY=PASSIVE): two OpenMP threads that spin at every barrier while the
other waits for a core ran 10 times slower there.
"""
import argparse
import json
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_eval import idx, model  # noqa: E402  (beside this file)

BUILT_INS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "runtime", "src", "main", "resources",
                         "dev", "cortado", "model")


def spec_of(name):
    path = name if name.endswith(".json") else os.path.join(BUILT_INS, name + ".json")
    with open(path) as f:
        return json.load(f)


def split(data_dir, prefix, shape):
    images = idx(data_dir, prefix + "-images-idx3-ubyte").float().div(255).reshape(-1, *shape)
    labels = idx(data_dir, prefix + "-labels-idx1-ubyte").long()
    return images, labels


def evaluate(net, images, labels, batch=1000):
    net.eval()
    correct = 0
    loss = 0.0
    with torch.no_grad():
        for start in range(0, len(images), batch):
            logits = net(images[start:start + batch])
            target = labels[start:start + batch]
            loss += torch.nn.functional.cross_entropy(logits, target, reduction="sum").item()
            correct += int((logits.argmax(1) == target).sum())
    return correct / len(images), loss / len(images)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="resnet8")
    p.add_argument("--data", default=os.environ.get("CORTADO_DATA", "/usr/share/datasets/fashion-mnist"))
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--schedule", choices=("constant", "cosine"), default="constant")
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--clip-grad-norm", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--log-every", type=int, default=100, help="a progress line every N steps (0: none)")
    args = p.parse_args(argv[1:])

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    spec = spec_of(args.model)
    net = model(spec)
    train_x, train_y = split(args.data, "train", spec["input"])
    test_x, test_y = split(args.data, "t10k", spec["input"])
    optimizer = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=args.momentum,
                                weight_decay=args.weight_decay)
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    steps_per_epoch = math.ceil(len(train_x) / args.batch_size)
    total = args.epochs * steps_per_epoch
    print(f"model: {spec['name']} ({sum(p.numel() for p in net.parameters()):,} parameters), torch "
          f"{torch.__version__}, {torch.get_num_threads()} threads")
    print(f"training: sgd lr {args.lr} momentum {args.momentum} weight decay {args.weight_decay}, {args.schedule} "
          f"schedule, batch {args.batch_size}, {args.epochs} epochs of {steps_per_epoch} steps, label smoothing "
          f"{args.label_smoothing}, clip grad norm {args.clip_grad_norm or 'off'}, seed {args.seed}")
    sys.stdout.flush()
    step = 0
    begin = time.time()
    for epoch in range(args.epochs):
        net.train()
        start = time.time()
        order = torch.randperm(len(train_x))
        seen = 0
        loss_sum = 0.0
        hits = 0
        for first in range(0, len(order), args.batch_size):
            if args.schedule == "cosine":
                lr = 0.5 * args.lr * (1 + math.cos(math.pi * min(1.0, step / total)))
                for group in optimizer.param_groups:
                    group["lr"] = lr
            batch = order[first:first + args.batch_size]
            logits = net(train_x[batch])
            loss = criterion(logits, train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            if args.clip_grad_norm > 0:
                torch.nn.utils.clip_grad_norm_(net.parameters(), args.clip_grad_norm)
            optimizer.step()
            step += 1
            seen += len(batch)
            loss_sum += loss.item() * len(batch)
            hits += int((logits.argmax(1) == train_y[batch]).sum())
            if args.log_every and step % args.log_every == 0:
                print(f"epoch {epoch + 1}/{args.epochs}  batch {first // args.batch_size + 1}/{steps_per_epoch}  "
                      f"loss {loss_sum / seen:.4f}  acc {100 * hits / seen:.2f}%", flush=True)
        seconds = time.time() - start
        accuracy, test_loss = evaluate(net, test_x, test_y)
        print(f"epoch {epoch + 1}/{args.epochs}: train loss {loss_sum / seen:.4f} acc {100 * hits / seen:.2f}%, "
              f"test loss {test_loss:.4f} acc {100 * accuracy:.2f}%, {seen / seconds:,.0f} images/s, {seconds:.1f} s")
        sys.stdout.flush()
    print(f"wall time {time.time() - begin:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
