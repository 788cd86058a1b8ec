#!/usr/bin/python3
"""Builds the ONNX import test cases: one tiny PyTorch module per supported ONNX op, exported
with torch.onnx.export (opset 13; a few at 11, 14 and 17), with a fixed random NCHW input and
PyTorch's output recorded next to it in CASE.h5 (/input, /output, float32).

Rerun with Debian's python3-torch, python3-onnx, python3-numpy, python3-h5py:
    /usr/bin/python3 tests/model/onnx_data/make_onnx_cases.py
The outputs are deterministic for a given torch version (fixed seeds)."""

import os

import h5py
import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class Lambda(nn.Module):
    def __init__(self, fn, *modules):
        super().__init__()
        self.fn = fn
        self.mods = nn.ModuleList(modules)

    def forward(self, x):
        return self.fn(x, *self.mods)


class MatMulConstant(nn.Module):
    """x @ W with a constant W: exported as MatMul, not Gemm."""

    def __init__(self, depth, units):
        super().__init__()
        self.register_buffer("weight", torch.randn(depth, units))

    def forward(self, x):
        return x @ self.weight


def conv(cin, cout, k=3, **kw):
    return nn.Conv2d(cin, cout, k, **kw)


def cases():
    """(name, module, input shape, opset, training mode)."""
    eval_mode = torch.onnx.TrainingMode.EVAL
    keep_bn = torch.onnx.TrainingMode.PRESERVE  # EVAL would fold BN into the conv itself
    return [
        ("conv", conv(3, 4, 3, stride=1, padding=1), (1, 3, 6, 5), 13, eval_mode),
        ("conv_stride2_valid", conv(2, 3, 3, stride=2), (1, 2, 7, 7), 13, eval_mode),
        ("conv_asym_pad", conv(2, 3, 3, stride=1, padding=(0, 2)), (1, 2, 5, 5), 13, eval_mode),
        ("conv_opset11", conv(2, 3, 3, padding=1), (1, 2, 5, 5), 11, eval_mode),
        ("depthwise", conv(4, 4, 3, padding=1, groups=4), (1, 4, 5, 6), 13, eval_mode),
        ("depthwise_multiplier", conv(3, 6, 3, stride=2, padding=1, groups=3), (1, 3, 6, 6), 13, eval_mode),
        ("grouped", conv(4, 4, 3, padding=1, groups=2), (1, 4, 5, 5), 13, eval_mode),
        ("linear", nn.Linear(6, 4), (2, 6), 13, eval_mode),
        ("matmul", MatMulConstant(5, 4), (3, 5), 13, eval_mode),
        ("relu", nn.Sequential(conv(2, 3, 1), nn.ReLU()), (1, 2, 4, 4), 13, eval_mode),
        ("relu_alone", nn.ReLU(), (1, 3, 4, 4), 13, eval_mode),
        ("relu6", nn.Sequential(conv(2, 3, 3), nn.ReLU6()), (1, 2, 5, 5), 13, eval_mode),
        ("relu6_opset11", nn.ReLU6(), (1, 2, 5, 5), 11, eval_mode),
        ("sigmoid", nn.Sigmoid(), (1, 3, 4, 4), 13, eval_mode),
        ("tanh", nn.Tanh(), (2, 7), 13, eval_mode),
        ("hardswish", nn.Hardswish(), (1, 3, 4, 4), 17, eval_mode),
        ("add", Lambda(lambda x, c: c(x) + x, conv(3, 3, 3, padding=1)), (1, 3, 4, 4), 13, eval_mode),
        ("add_const", Lambda(lambda x: x + torch.arange(3.0).reshape(1, 3, 1, 1)), (1, 3, 4, 4), 13, eval_mode),
        ("mul_const", Lambda(lambda x: x * torch.tensor([0.5, -2.0, 3.0]).reshape(1, 3, 1, 1)), (1, 3, 4, 4), 13, eval_mode),
        ("mul", Lambda(lambda x: x * torch.sigmoid(x)), (1, 3, 4, 4), 13, eval_mode),
        ("maxpool", nn.MaxPool2d(2), (1, 3, 6, 6), 13, eval_mode),
        ("maxpool_same", nn.MaxPool2d(3, stride=1, padding=1), (1, 2, 6, 6), 13, eval_mode),
        ("avgpool", nn.AvgPool2d(2), (1, 3, 6, 6), 13, eval_mode),
        ("avgpool_pad", nn.AvgPool2d(3, stride=1, padding=1), (1, 2, 5, 5), 13, eval_mode),
        ("global_avgpool", nn.Sequential(conv(2, 3, 3), nn.AdaptiveAvgPool2d(1)), (1, 2, 5, 5), 13, eval_mode),
        ("flatten_linear", nn.Sequential(conv(2, 3, 3, padding=1), nn.Flatten(), nn.Linear(3 * 4 * 5, 4)), (1, 2, 4, 5), 13, eval_mode),
        ("view_linear", Lambda(lambda x, c, l: l(c(x).view(x.size(0), -1)), conv(2, 3, 3), nn.Linear(3 * 3 * 3, 2)), (1, 2, 5, 5), 13, eval_mode),
        ("reshape", Lambda(lambda x: torch.reshape(x, (2, 3, 2))), (2, 6), 13, eval_mode),
        ("concat", Lambda(lambda x, a, b: torch.cat([a(x), b(x)], 1), conv(2, 3, 1), conv(2, 2, 1)), (1, 2, 4, 4), 13, eval_mode),
        ("softmax", nn.Sequential(nn.Linear(5, 4), nn.Softmax(dim=1)), (2, 5), 13, eval_mode),
        ("softmax_opset11", nn.Softmax(dim=-1), (2, 5), 11, eval_mode),
        ("batchnorm", nn.Sequential(conv(2, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU()), (1, 2, 4, 4), 13, keep_bn),
        ("identity_constant", Lambda(lambda x: nn.Identity()(x) * 2.0 + 1.0), (1, 5), 13, eval_mode),
        ("lstm", nn.LSTM(3, 2, batch_first=True), (1, 4, 3), 13, eval_mode),
        ("small_cnn_opset17", nn.Sequential(
            conv(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
            conv(4, 4, 3, padding=1, groups=4), nn.ReLU6(), nn.MaxPool2d(2),
            conv(4, 6, 1), nn.Hardswish(), nn.Flatten(), nn.Linear(6 * 4 * 4, 5), nn.Softmax(dim=1)),
         (1, 1, 8, 8), 17, keep_bn),
    ]


def randomize(module, seed):
    torch.manual_seed(seed)
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)


def main():
    for index, (name, module, shape, opset, training) in enumerate(cases()):
        torch.manual_seed(1000 + index)
        module.eval()
        randomize(module, 2000 + index)
        x = torch.randn(*shape)
        with torch.no_grad():
            y = module(x)
            if isinstance(y, tuple):
                y = y[0]
        path = os.path.join(HERE, name + ".onnx")
        torch.onnx.export(module, (x,), path, opset_version=opset, training=training,
                          input_names=["input"], output_names=["output"])
        with h5py.File(os.path.join(HERE, name + ".h5"), "w") as f:
            f.create_dataset("input", data=x.numpy().astype(np.float32))
            f.create_dataset("output", data=y.numpy().astype(np.float32))
            f.attrs["opset"] = opset
        print(name, "opset", opset, tuple(y.shape))


def write_pad_case():
    """torch 1.13 exports F.pad as a ConstantOfShape/Slice/Cast chain; this case is the single
    Pad node PyTorch's own exporter writes for a constant pad (opset 13), checked against numpy."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(7)
    x = rng.standard_normal((1, 2, 3, 3)).astype(np.float32)
    pads = np.array([0, 0, 0, 1, 0, 0, 1, 2], dtype=np.int64)  # begins N C H W, ends N C H W
    node = helper.make_node("Pad", ["input", "pads"], ["output"], name="/Pad", mode="constant")
    graph = helper.make_graph(
        [node], "pad", [helper.make_tensor_value_info("input", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(pads, "pads")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, os.path.join(HERE, "pad.onnx"))
    y = np.pad(x, [(0, 0), (0, 0), (0, 1), (1, 2)])
    with h5py.File(os.path.join(HERE, "pad.h5"), "w") as f:
        f.create_dataset("input", data=x)
        f.create_dataset("output", data=y)
        f.attrs["opset"] = 13


if __name__ == "__main__":
    main()
    write_pad_case()
