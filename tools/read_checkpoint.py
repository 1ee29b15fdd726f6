#!/usr/bin/env python3
"""Reads a Cortado checkpoint (or any safetensors file of F32 tensors) with nothing but the standard library,
as an independent check that the files follow the safetensors format that PyTorch's `safetensors` package reads.

Usage: read_checkpoint.py FILE [--torch]

Prints the metadata entries (format, model, config, position), then one line per tensor: name, shape and the sum
of its values. With --torch, also loads every tensor into a torch.Tensor (needs PyTorch) and checks the sums
agree. `torch_eval.py` goes further: it loads a checkpoint into the equivalent `torch.nn.Sequential` and evaluates it.
Exits non-zero when the file breaks the format (header length, offsets, dtype, overlapping or missing data).
"""
import json
import struct
import sys


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: only {len(data)} bytes")
    (header_len,) = struct.unpack("<Q", data[:8])
    if header_len > len(data) - 8:
        raise ValueError(f"{path}: header length {header_len} exceeds the file")
    header = json.loads(data[8:8 + header_len].decode("utf-8"))
    body = data[8 + header_len:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    end = 0
    for name, entry in sorted(header.items(), key=lambda e: e[1]["data_offsets"][0]):
        if entry["dtype"] != "F32":
            raise ValueError(f"{name}: dtype {entry['dtype']}, expected F32")
        begin, stop = entry["data_offsets"]
        count = 1
        for d in entry["shape"]:
            count *= d
        if begin != end or stop - begin != 4 * count or stop > len(body):
            raise ValueError(f"{name}: data offsets [{begin}, {stop}) do not follow the previous tensor or fit")
        end = stop
        tensors[name] = (entry["shape"], struct.unpack(f"<{count}f", body[begin:stop]))
    if end != len(body):
        raise ValueError(f"{len(body) - end} bytes after the last tensor")
    return metadata, tensors


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    metadata, tensors = read(argv[1])
    for key in ("format", "format_version", "position", "config"):
        if key in metadata:
            print(f"{key}: {metadata[key]}")
    if "model" in metadata:
        print("model: " + json.loads(metadata["model"])["name"])
    for name, (shape, values) in tensors.items():
        print(f"tensor {name} {shape} sum={sum(values):.6g}")
    if "--torch" in argv:
        import torch
        for name, (shape, values) in tensors.items():
            t = torch.tensor(values, dtype=torch.float32).reshape(shape)
            if abs(float(t.sum()) - sum(values)) > 1e-3 * (1 + abs(sum(values))):
                raise ValueError(f"{name}: torch sum {float(t.sum())} differs")
        print(f"torch: loaded {len(tensors)} tensors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
