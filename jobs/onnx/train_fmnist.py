#!/usr/bin/python3
"""Trains one of issue 15's two Fashion-MNIST networks with Debian's
python3-torch and exports it to ONNX (eval mode, opset 13):

    /usr/bin/python3 jobs/onnx/train_fmnist.py resnet out/onnx/fmnist_resnet.onnx
    /usr/bin/python3 jobs/onnx/train_fmnist.py plain out/onnx/fmnist_plain.onnx

  resnet  a small residual network: conv 8@3x3 pad 1 + batch norm + relu
          (28x28), a stride-2 conv 16@3x3 pad 1 + batch norm + relu, a
          residual block relu(x + bn(conv(relu(bn(conv(x)))))) of 16 channels
          (14x14), a stride-2 conv 32@3x3 (7x7) + batch norm + relu, a second
          residual block (32 channels), global average pooling, linear 10:
          21,210 neurons (LeNet: 19,694).
  plain   a wider plain CNN: conv 16@3x3 pad 1 + relu, average pool 2,
          conv 32@3x3 pad 1 + relu, average pool 2, linear 100 + relu,
          linear 10: 24,414 neurons.

One thread (torch.set_num_threads(1)), Adam (learning rate 1e-3), batch 64,
--epochs passes (default 2) over the 60,000 training images in an order drawn
from a seeded generator, pixels scaled to [0, 1] as netinfer's MNIST sets are.
Seeded and with deterministic algorithms, so a rerun on the same machine and
torch build gives the same weights. Prints each epoch's test accuracy; the
final line is "final test accuracy: <percent>%". The ONNX file is written
under <out>.partial and renamed when complete.
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(name):
    """An IDX file of DATA, gzip or plain."""
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        path += ".gz"
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def dataset(prefix):
    images = torch.from_numpy(read_idx(f"{prefix}-images-idx3-ubyte").copy()).float() / 255
    labels = torch.from_numpy(read_idx(f"{prefix}-labels-idx1-ubyte").copy()).long()
    return images.unsqueeze(1), labels


class Block(nn.Module):
    """relu(x + bn(conv(relu(bn(conv(x))))))"""

    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        return F.relu(x + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


def conv_bn_relu(inputs, outputs, stride):
    return nn.Sequential(nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1, bias=False),
                         nn.BatchNorm2d(outputs), nn.ReLU())


class ResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn_relu(1, 8, 1)
        self.down1 = conv_bn_relu(8, 16, 2)
        self.block1 = Block(16)
        self.down2 = conv_bn_relu(16, 32, 2)
        self.block2 = Block(32)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.block2(self.down2(self.block1(self.down1(self.stem(x)))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 7 * 7, 100)
        self.fc2 = nn.Linear(100, 10)

    def forward(self, x):
        x = F.avg_pool2d(F.relu(self.conv1(x)), 2)
        x = F.avg_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


NETWORKS = {"resnet": ResNet, "plain": Plain}


def accuracy(model, images, labels):
    model.eval()
    with torch.no_grad():
        correct = sum((model(images[i:i + 1000]).argmax(1) == labels[i:i + 1000]).sum().item()
                      for i in range(0, len(images), 1000))
    model.train()
    return 100.0 * correct / len(images)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("network", choices=sorted(NETWORKS))
    parser.add_argument("out", help="the ONNX file to write")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.use_deterministic_algorithms(True)
    train_images, train_labels = dataset("train")
    test_images, test_labels = dataset("t10k")
    model = NETWORKS[args.network]()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.Generator().manual_seed(args.seed)
    start = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        for batch in torch.randperm(len(train_images), generator=order).split(64):
            optimiser.zero_grad()
            F.cross_entropy(model(train_images[batch]), train_labels[batch]).backward()
            optimiser.step()
        print(f"epoch {epoch + 1}: test accuracy {accuracy(model, test_images, test_labels):.2f}%, "
              f"{time.perf_counter() - start:.0f} s", flush=True)
    model.eval()
    partial = args.out + ".partial"
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), partial, opset_version=13,
                      input_names=["input"], output_names=["output"])
    os.replace(partial, args.out)
    print(f"final test accuracy: {accuracy(model, test_images, test_labels):.2f}%")


if __name__ == "__main__":
    main()
