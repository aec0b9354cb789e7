#!/usr/bin/python3
"""PyTorch's forward images/s on the networks of jobs/onnx (the Fashion-MNIST
networks of train_fmnist.py and try_models.py's small ResNet), for comparison
with netinfer's forward pass on their ONNX exports (jobs/onnx/bench_forward.sh,
docs/onnx.md):

    /usr/bin/python3 jobs/onnx/bench_torch.py [--threads N] [--seconds S] [network ...]

Eval mode, no gradients, batches of 64 random N(0, 1) images (netinfer's
forward chunk), float32 and float64, torch.set_num_threads(N). Random
weights: the speed does not depend on their values.
"""
import argparse
import sys
import time

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from train_fmnist import NETWORKS  # noqa: E402
from try_models import ResNetSmall  # noqa: E402

MODELS = dict(NETWORKS, resnet_small=ResNetSmall)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("networks", nargs="*", default=sorted(MODELS), choices=sorted(MODELS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for name in args.networks:
        model = MODELS[name]().eval()
        for dtype in (torch.float32, torch.float64):
            m = model.to(dtype)
            x = torch.randn(64, 1, 28, 28, dtype=dtype)
            with torch.no_grad():
                m(x)
                start, images = time.perf_counter(), 0
                while time.perf_counter() - start < args.seconds:
                    m(x)
                    images += 64
            rate = images / (time.perf_counter() - start)
            print(f"torch {name} {str(dtype).split('.')[1]}: {rate:.0f} images/s, "
                  f"{args.threads} thread(s)", flush=True)


if __name__ == "__main__":
    main()
