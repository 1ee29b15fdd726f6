#!/usr/bin/env python3
"""Writes the PyTorch golden values that Cortado's golden tests compare against.

Run by hand with Debian's PyTorch (apt-get install python3-torch), from the repository root:

    /usr/bin/python3 tools/make_golden.py

It writes one JSON file per case under runtime/src/test/resources/dev/cortado/golden/. Each file holds the
case's settings and named float32 tensors ({"shape": [...], "data": [...]}, row-major): the inputs, the
parameters, the upstream gradient "dy", and PyTorch's outputs and gradients. The outputs are committed; rerun
only when a case changes.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_eval import model as torch_model  # noqa: E402  (the spec-to-torch builder beside this file)

OUT = os.path.join("runtime", "src", "test", "resources", "dev", "cortado", "golden")


def tensor(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def rand(*shape):
    return torch.rand(*shape) * 2 - 1


def write(name, settings, tensors):
    os.makedirs(OUT, exist_ok=True)
    body = {"case": name, "torch": torch.__version__, "settings": settings,
            "tensors": {k: tensor(v) for k, v in tensors.items()}}
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(body, f, separators=(",", ":"))
        f.write("\n")


def layer_case(name, settings, module, x, extra_inputs=None):
    """Forward and backward of a module on x with a random upstream gradient."""
    x = x.clone().requires_grad_(True)
    y = module(x)
    dy = rand(*y.shape)
    y.backward(dy)
    tensors = {"x": x, "y": y, "dy": dy, "dx": x.grad}
    for pname, p in module.named_parameters():
        tensors[pname] = p
        tensors["d" + pname] = p.grad
    for bname, b in module.named_buffers():
        if b.dtype.is_floating_point:
            tensors[bname] = b
    if extra_inputs:
        tensors.update(extra_inputs)
    write(name, settings, tensors)


def conv2d():
    conv = torch.nn.Conv2d(3, 4, kernel_size=3, stride=2, padding=1, dilation=2)
    layer_case("conv2d_stride2_pad1_dil2", {"in": 3, "out": 4, "kernel": 3, "stride": 2, "padding": 1,
               "dilation": 2}, conv, rand(2, 3, 9, 8))
    conv = torch.nn.Conv2d(2, 5, kernel_size=5, padding=2)
    layer_case("conv2d_5x5_pad2", {"in": 2, "out": 5, "kernel": 5, "stride": 1, "padding": 2, "dilation": 1},
               conv, rand(3, 2, 7, 7))


def pooling():
    layer_case("maxpool2d_k3_s2_p1", {"kernel": 3, "stride": 2, "padding": 1},
               torch.nn.MaxPool2d(3, stride=2, padding=1), rand(2, 3, 7, 8))
    layer_case("maxpool2d_k2", {"kernel": 2, "stride": 2, "padding": 0},
               torch.nn.MaxPool2d(2), rand(2, 2, 6, 6))
    layer_case("avgpool2d_k3_s2_p1", {"kernel": 3, "stride": 2, "padding": 1},
               torch.nn.AvgPool2d(3, stride=2, padding=1), rand(2, 3, 7, 8))


def linear():
    layer_case("linear", {"in": 7, "out": 3}, torch.nn.Linear(7, 3), rand(5, 7))


def batchnorm(dims, shape, suffix=""):
    cls = torch.nn.BatchNorm1d if dims == 1 else torch.nn.BatchNorm2d
    bn = cls(shape[1])
    with torch.no_grad():
        bn.weight.copy_(rand(shape[1]) + 1.5)
        bn.bias.copy_(rand(shape[1]))
    x = rand(*shape) * 3 + 0.5
    before = {"running_mean_before": bn.running_mean.clone(), "running_var_before": bn.running_var.clone()}
    bn.train()
    settings = {"features": shape[1], "momentum": 0.1, "eps": 1e-5}
    layer_case("batchnorm%dd%s_train" % (dims, suffix), settings, bn, x, before)
    bn.eval()
    bn.zero_grad()
    layer_case("batchnorm%dd%s_eval" % (dims, suffix), settings, bn, rand(*shape) * 3 + 0.5)


def losses():
    logits = (rand(6, 5) * 4).requires_grad_(True)
    labels = torch.tensor([0, 4, 2, 2, 1, 3])
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    write("cross_entropy", {}, {"logits": logits, "labels": labels.float(), "loss": loss.reshape(1),
                                "dlogits": logits.grad})
    out = rand(4, 3).requires_grad_(True)
    target = rand(4, 3)
    loss = F.mse_loss(out, target)
    loss.backward()
    write("mse", {}, {"output": out, "target": target, "loss": loss.reshape(1), "doutput": out.grad})


def optimizer_steps(name, settings, make):
    """Three steps of an optimizer on one parameter with fixed gradients."""
    p = torch.nn.Parameter(rand(5, 3))
    tensors = {"param": p.detach().clone()}
    opt = make([p])
    for step in range(3):
        grad = rand(5, 3)
        tensors["grad%d" % step] = grad
        p.grad = grad.clone()
        opt.step()
        tensors["param%d" % step] = p.detach().clone()
    write(name, settings, tensors)


def optimizers():
    optimizer_steps("sgd_momentum", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01, "nesterov": False},
                    lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01))
    optimizer_steps("sgd_nesterov", {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.0, "nesterov": True},
                    lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True))
    optimizer_steps("adam", {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01,
                             "decoupled": False},
                    lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.01))
    optimizer_steps("adamw", {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.1,
                              "decoupled": True},
                    lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1))


def small_convnet():
    """A LeNet-shaped stack on 1x12x12 inputs: one SGD-momentum training step, end to end."""
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 6, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(24, 10), torch.nn.Tanh(), torch.nn.Linear(10, 5))
    x = torch.rand(8, 1, 12, 12)
    labels = torch.tensor([0, 1, 2, 3, 4, 0, 1, 2])
    tensors = {"x": x, "labels": labels.float()}
    for pname, p in model.named_parameters():
        tensors[pname] = p.detach().clone()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    logits = model(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    tensors["logits"] = logits
    tensors["loss"] = loss.reshape(1)
    for pname, p in model.named_parameters():
        tensors["d" + pname] = p.grad.clone()
    opt.step()
    for pname, p in model.named_parameters():
        tensors["new." + pname] = p.detach().clone()
    spec = {"name": "small_convnet", "input": [1, 12, 12], "layers": [
        {"type": "conv2d", "out": 4, "kernel": 3, "padding": 1}, {"type": "relu"}, {"type": "maxpool2d", "kernel": 2},
        {"type": "conv2d", "out": 6, "kernel": 3}, {"type": "relu"}, {"type": "maxpool2d", "kernel": 2},
        {"type": "flatten"}, {"type": "linear", "out": 10}, {"type": "tanh"}, {"type": "linear", "out": 5}]}
    write("small_convnet_sgd_step", {"lr": 0.1, "momentum": 0.9, "spec": spec}, tensors)


def grouped_convolutions():
    conv = torch.nn.Conv2d(4, 6, kernel_size=3, padding=1, groups=2)
    layer_case("conv2d_groups2", {"in": 4, "out": 6, "kernel": 3, "stride": 1, "padding": 1, "dilation": 1,
               "groups": 2}, conv, rand(2, 4, 6, 5))
    conv = torch.nn.Conv2d(3, 6, kernel_size=3, stride=2, padding=1, groups=3)
    layer_case("conv2d_depthwise", {"in": 3, "out": 6, "kernel": 3, "stride": 2, "padding": 1, "dilation": 1,
               "groups": 3}, conv, rand(2, 3, 7, 7))


def activations():
    # The exact GELU (approximate='none', PyTorch's default) and SiLU, on inputs in [-4, 4).
    layer_case("gelu", {}, torch.nn.GELU(), rand(3, 4, 5) * 4)
    layer_case("silu", {}, torch.nn.SiLU(), rand(3, 4, 5) * 4)


def global_avgpool():
    layer_case("global_avgpool", {}, torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()),
               rand(2, 3, 5, 4))


def residual_block(name, block, input_shape):
    """A model of one residual block, built from its Cortado spec by tools/torch_eval.py, in training mode."""
    spec = {"name": name, "input": list(input_shape[1:]), "layers": [block]}
    net = torch_model(spec)
    with torch.no_grad():  # batch norm's default weight 1 and bias 0 would hide a gradient that mixes them up
        for module in net.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.copy_(rand(module.num_features) * 0.5 + 1)
                module.bias.copy_(rand(module.num_features) * 0.5)
    net.train()
    layer_case(name, {"spec": spec}, net, rand(*input_shape))


def conv_spec(out, kernel, stride=1):
    """A Cortado conv2d spec without bias, padded to keep the size at stride 1."""
    return {"type": "conv2d", "out": out, "kernel": kernel, "stride": stride, "padding": kernel // 2, "bias": False}


def residual_blocks():
    bn = {"type": "batchnorm"}
    relu = {"type": "relu"}
    residual_block("residual_identity", {"type": "residual", "main": [
        conv_spec(4, 3), bn, relu, conv_spec(4, 3), bn]}, (2, 4, 6, 6))
    residual_block("residual_projection", {"type": "residual", "main": [
        conv_spec(8, 3, 2), bn, relu, conv_spec(8, 3), bn], "shortcut": [conv_spec(8, 1, 2), bn]}, (2, 4, 7, 7))


def label_smoothing():
    logits = (rand(6, 5) * 4).requires_grad_(True)
    labels = torch.tensor([0, 4, 2, 2, 1, 3])
    loss = F.cross_entropy(logits, labels, label_smoothing=0.1)
    loss.backward()
    write("cross_entropy_smoothing", {"label_smoothing": 0.1}, {"logits": logits, "labels": labels.float(),
                                                                "loss": loss.reshape(1), "dlogits": logits.grad})


def clip_grad_norm(name, max_norm):
    """clip_grad_norm_ over two parameters, then one SGD-momentum step (whose first step moves by lr * grad)."""
    params = [torch.nn.Parameter(rand(5, 3)), torch.nn.Parameter(rand(4))]
    tensors = {}
    for i, p in enumerate(params):
        tensors["param%d" % i] = p.detach().clone()
        p.grad = rand(*p.shape) * 2
        tensors["grad%d" % i] = p.grad.clone()
    norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
    torch.optim.SGD(params, lr=0.1, momentum=0.9).step()
    for i, p in enumerate(params):
        tensors["new%d" % i] = p.detach().clone()
    tensors["norm"] = norm.reshape(1)
    write(name, {"max_norm": max_norm, "lr": 0.1, "momentum": 0.9}, tensors)


def main():
    torch.manual_seed(20261129)
    conv2d()
    pooling()
    linear()
    batchnorm(1, (6, 4))
    batchnorm(2, (4, 3, 5, 5))
    losses()
    optimizers()
    small_convnet()
    # Added later, last, so that the random values of the cases above stay as committed.
    batchnorm(1, (4, 3, 7), "_ncl")
    grouped_convolutions()
    activations()
    global_avgpool()
    residual_blocks()
    label_smoothing()
    clip_grad_norm("clip_grad_norm", 0.5)
    clip_grad_norm("clip_grad_norm_unclipped", 100.0)
    print("wrote", len(os.listdir(OUT)), "files to", OUT)


if __name__ == "__main__":
    main()
