#!/usr/bin/env python3
"""Evaluates a Cortado checkpoint in PyTorch: builds the torch.nn.Sequential its model spec describes, loads the
checkpoint's weights with load_state_dict, and runs the MNIST-format test split through it.

Usage: torch_eval.py CHECKPOINT DATA_DIR [--limit N]

Prints one line, "accuracy A% (C/N), loss L", in the form `cortado eval` prints it, so the two can be compared:
the same weights in both frameworks must classify the same images and give the same mean cross-entropy. Needs
PyTorch (Debian: apt-get install python3-torch). Inputs are scaled to [0, 1] as Cortado's loader does.
"""
import gzip
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from read_checkpoint import read  # noqa: E402  (the reader beside this file)


class Residual(torch.nn.Module):
    """Cortado's residual block: activation(main(x) + shortcut(x)), where an empty shortcut is the identity.
    Its state_dict names (main.0.weight, shortcut.1.running_mean) are those of Cortado's checkpoints."""

    def __init__(self, main, shortcut, activation):
        super().__init__()
        self.main = main
        self.shortcut = shortcut
        self.activation = activation

    def forward(self, x):
        return self.activation(self.main(x) + self.shortcut(x))


def layer(spec, shape):
    """The torch module for one layer of a Cortado spec, given the input shape (N, ...) it receives."""
    kind = spec["type"]
    if kind == "conv2d":
        return torch.nn.Conv2d(shape[1], spec["out"], spec["kernel"], stride=spec.get("stride", 1),
                               padding=spec.get("padding", 0), dilation=spec.get("dilation", 1),
                               groups=spec.get("groups", 1), bias=spec.get("bias", True))
    if kind in ("maxpool2d", "avgpool2d"):
        cls = torch.nn.MaxPool2d if kind == "maxpool2d" else torch.nn.AvgPool2d
        return cls(spec["kernel"], stride=spec.get("stride", spec["kernel"]), padding=spec.get("padding", 0))
    if kind == "global_avgpool":
        return torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
    if kind == "linear":
        return torch.nn.Linear(shape[1], spec["out"])
    if kind == "batchnorm":
        return torch.nn.BatchNorm2d(shape[1]) if len(shape) == 4 else torch.nn.BatchNorm1d(shape[1])
    if kind == "residual":
        main, _ = sequential(spec["main"], shape)
        shortcut, _ = sequential(spec.get("shortcut", []), shape)
        return Residual(main, shortcut, layer({"type": spec.get("activation", "relu")}, shape))
    simple = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "gelu": torch.nn.GELU,
              "silu": torch.nn.SiLU, "flatten": torch.nn.Flatten}
    if kind in simple:
        return simple[kind]()
    if kind == "leaky_relu":
        return torch.nn.LeakyReLU(spec.get("slope", 0.01))
    if kind == "dropout":
        return torch.nn.Dropout(spec["p"])
    raise ValueError(f"layer type {kind!r} has no PyTorch counterpart here")


def sequential(specs, shape):
    """The torch.nn.Sequential of a list of layer specs for inputs of this shape, and its output shape."""
    modules = []
    x = torch.zeros(1, *shape[1:])
    with torch.no_grad():
        for s in specs:
            modules.append(layer(s, tuple(x.shape)).eval())  # eval: batch norm takes a batch of one
            x = modules[-1](x)
    return torch.nn.Sequential(*modules), tuple(x.shape)


def model(spec):
    """The torch.nn.Sequential a Cortado model spec describes, initialized as PyTorch initializes its modules."""
    return sequential(spec["layers"], (1, *spec["input"]))[0]


def idx(data_dir, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(data_dir, candidate)
        if os.path.exists(path):
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            dims = data[3]
            shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
            return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)
    raise FileNotFoundError(f"{data_dir}: no {name} or {name}.gz")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    metadata, tensors = read(argv[1])
    net = model(json.loads(metadata["model"]))
    weights = {name: torch.tensor(values, dtype=torch.float32).reshape(shape)
               for name, (shape, values) in tensors.items() if not name.startswith("optimizer.")}
    net.load_state_dict(weights)  # strict: every key of the torch model, and no other
    images = idx(argv[2], "t10k-images-idx3-ubyte")[:limit]
    labels = idx(argv[2], "t10k-labels-idx1-ubyte")[:limit].long()
    net.eval()
    with torch.no_grad():
        logits = net(images.float().div(255).reshape(len(images), *json.loads(metadata["model"])["input"]))
        loss = torch.nn.functional.cross_entropy(logits, labels).item()
        correct = int((logits.argmax(1) == labels).sum())
    print(f"accuracy {100 * correct / len(labels):.2f}% ({correct}/{len(labels)}), loss {loss:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
