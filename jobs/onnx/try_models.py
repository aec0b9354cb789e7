#!/usr/bin/python3
"""Exports common PyTorch CNN shapes to ONNX (random weights) to see which load:

    /usr/bin/python3 jobs/onnx/try_models.py DIR
    for f in DIR/*.onnx; do netinfer graph --weights $f --layers-only; done

The loading results are recorded in docs/onnx.md.
"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    """ResNet's BasicBlock, with a 1x1 stride-2 downsample when shapes change."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        return F.relu(y + (self.down(x) if self.down is not None else x))


class ResNetSmall(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 8, 3, 1, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.layers = nn.Sequential(Block(8, 8, 1), Block(8, 16, 2), Block(16, 32, 2))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.layers(self.stem(x))), 1))


def seq(*layers):
    return nn.Sequential(*layers)


def view_flatten():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2d(1, 4, 5)
            self.fc = nn.Linear(4 * 24 * 24, 10)

        def forward(self, x):
            return self.fc(F.relu(self.c(x)).view(x.size(0), -1))

    return M()


def bn_after_add():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2d(1, 4, 3, padding=1)
            self.bn = nn.BatchNorm2d(4)

        def forward(self, x):
            y = self.c(x)
            return F.relu(self.bn(y + y))

    return M()


MODELS = {
    "resnet_small": (ResNetSmall, {}),
    "resnet_small_dynamic_batch": (ResNetSmall, {"dynamic_axes": {"input": {0: "batch"}}}),
    "resnet_small_opset11": (ResNetSmall, {"opset_version": 11}),
    "resnet_small_opset17": (ResNetSmall, {"opset_version": 17}),
    "view_flatten": (view_flatten, {}),
    "tanh": (lambda: seq(nn.Conv2d(1, 4, 3), nn.Tanh(), nn.Flatten(), nn.Linear(4 * 26 * 26, 10)), {}),
    "leaky_relu": (lambda: seq(nn.Conv2d(1, 4, 3), nn.LeakyReLU(), nn.Flatten(), nn.Linear(4 * 26 * 26, 10)), {}),
    "relu6": (lambda: seq(nn.Conv2d(1, 4, 3), nn.ReLU6(), nn.Flatten(), nn.Linear(4 * 26 * 26, 10)), {}),
    "depthwise": (lambda: seq(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 4, 3, groups=4), nn.ReLU()), {}),
    "dilated": (lambda: seq(nn.Conv2d(1, 4, 3, dilation=2), nn.ReLU()), {}),
    "maxpool_ceil": (lambda: seq(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(3, 2, ceil_mode=True)), {}),
    "rect_kernel": (lambda: seq(nn.Conv2d(1, 4, (3, 1)), nn.ReLU()), {}),
    "bn_after_add_preserve": (bn_after_add, {"training": torch.onnx.TrainingMode.PRESERVE}),
    "bn1d_after_linear_preserve": (
        lambda: seq(nn.Flatten(), nn.Linear(784, 20), nn.BatchNorm1d(20), nn.ReLU(), nn.Linear(20, 10)),
        {"training": torch.onnx.TrainingMode.PRESERVE}),
    "concat": (lambda: Concat(), {}),
}


class Concat(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(1, 2, 3, padding=1)
        self.b = nn.Conv2d(1, 2, 5, padding=2)

    def forward(self, x):
        return F.relu(torch.cat([self.a(x), self.b(x)], 1))


def main():
    folder = sys.argv[1]
    torch.manual_seed(0)
    for name, (make, options) in MODELS.items():
        options = dict(options)
        opset = options.pop("opset_version", 13)
        model = make().eval()
        torch.onnx.export(model, torch.randn(1, 1, 28, 28), f"{folder}/{name}.onnx", opset_version=opset,
                          input_names=["input"], output_names=["output"], **options)


if __name__ == "__main__":
    main()
