#!/usr/bin/python3
"""Writes the ONNX fixtures of tests/net/onnx_test.cpp (tests/data/onnx) with Debian's python3-torch.

    /usr/bin/python3 jobs/onnx/make_fixtures.py tests/data/onnx

Two small CNNs, exported in eval mode (opset 13) with random weights and
random batch-norm statistics:
  residual.onnx  conv+BN+relu (padded), a residual block (conv+BN+relu,
                 conv+BN, add, relu), max pool, a stride-2 padded conv, average
                 pool, a 1x1 conv, global average pool, linear, softmax;
  plain.onnx     a conv without bias, a padded average pool (count_include_pad),
                 dropout, a reshape, a linear layer, and a matmul + add without
                 activation.
and sigmoid.onnx (a conv and a sigmoid, which netinfer refuses). For the
first two, <name>.activations holds the input images and every layer of neurons
(each relu/softmax output, each pooling output, the final linear output)
computed by PyTorch in float64 from the same float32 weights, in depth order:
  int64 images, int64 layers, then per layer int64 C, H, W (1, 1 for vectors),
  then per layer images x C*H*W float64 (CHW order), little-endian.
"""
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def randomise_batch_norm(model, generator):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.weight.data = 0.5 + torch.rand(n, generator=generator)
            m.bias.data = torch.randn(n, generator=generator) * 0.3
            m.running_mean = torch.randn(n, generator=generator) * 0.2
            m.running_var = 0.5 + torch.rand(n, generator=generator)


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(4)
        self.conv3 = nn.Conv2d(4, 4, 3, padding=1)
        self.bn3 = nn.BatchNorm2d(4)
        self.pool1 = nn.MaxPool2d(2)
        self.conv4 = nn.Conv2d(4, 6, 3, stride=2, padding=1)
        self.pool2 = nn.AvgPool2d(2)
        self.conv5 = nn.Conv2d(6, 8, 1)
        self.fc = nn.Linear(8, 5)

    def layers(self, x):
        out = [x]
        a = F.relu(self.bn1(self.conv1(x)))
        out.append(a)
        h = F.relu(self.bn2(self.conv2(a)))
        out.append(h)
        r = F.relu(a + self.bn3(self.conv3(h)))
        out.append(r)
        p = self.pool1(r)
        out.append(p)
        c = F.relu(self.conv4(p))
        out.append(c)
        q = self.pool2(c)
        out.append(q)
        d = F.relu(self.conv5(q))
        out.append(d)
        g = F.adaptive_avg_pool2d(d, 1)
        out.append(g)
        out.append(F.softmax(self.fc(torch.flatten(g, 1)), dim=1))
        return out

    def forward(self, x):
        return self.layers(x)[-1]


class Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 3, 3, padding=2, bias=False)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1)
        self.drop = nn.Dropout(0.5)
        self.fc1 = nn.Linear(3 * 6 * 6, 7)
        self.w2 = nn.Parameter(torch.randn(7, 4) * 0.4)
        self.b2 = nn.Parameter(torch.randn(4) * 0.1)

    def layers(self, x):
        out = [x]
        a = F.relu(self.conv1(x))
        out.append(a)
        p = self.pool(a)
        out.append(p)
        h = F.relu(self.fc1(self.drop(p.view(-1, 3 * 6 * 6))))
        out.append(h)
        out.append(torch.matmul(h, self.w2) + self.b2)
        return out

    def forward(self, x):
        return self.layers(x)[-1]


class Unsupported(nn.Module):
    """A sigmoid, which netinfer refuses with one line."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)

    def forward(self, x):
        return torch.sigmoid(self.conv(x))


def write(model, input_shape, name, folder, generator, training, images=3):
    randomise_batch_norm(model, generator)
    model.eval()
    x = torch.randn(1, *input_shape, generator=generator)
    torch.onnx.export(model, x, f"{folder}/{name}.onnx", opset_version=13, training=training,
                      input_names=["input"], output_names=["output"])
    batch = torch.rand(images, *input_shape, generator=generator, dtype=torch.float64)
    with torch.no_grad():
        layers = model.double().layers(batch)
    with open(f"{folder}/{name}.activations", "wb") as f:
        f.write(struct.pack("<qq", images, len(layers)))
        for t in layers:
            shape = list(t.shape[1:]) + [1] * (4 - t.dim())
            f.write(struct.pack("<qqq", *shape))
        for t in layers:
            f.write(t.reshape(images, -1).contiguous().numpy().astype("<f8").tobytes())


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/data/onnx"
    generator = torch.Generator().manual_seed(15)
    torch.manual_seed(15)
    # PRESERVE keeps BatchNormalization nodes (EVAL would fuse them into the
    # convs at export), so the reader's folding is tested.
    write(Residual(), (2, 16, 16), "residual", folder, generator, torch.onnx.TrainingMode.PRESERVE)
    write(Plain(), (1, 10, 10), "plain", folder, generator, torch.onnx.TrainingMode.EVAL)
    torch.onnx.export(Unsupported().eval(), torch.zeros(1, 1, 6, 6), f"{folder}/sigmoid.onnx",
                      opset_version=13)


if __name__ == "__main__":
    main()
