#!/usr/bin/python3
"""PyTorch's forward images/s on an ONNX-exported model's source, for comparison
with `netinfer respond` on the same network (docs/onnx.md):

    OMP_NUM_THREADS=1 /usr/bin/python3 jobs/onnx/bench_torch.py
"""
import sys
import time

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from try_models import ResNetSmall  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(0)
model = ResNetSmall().eval()
for dtype in (torch.float32, torch.float64):
    m = model.to(dtype)
    x = torch.randn(64, 1, 28, 28, dtype=dtype)
    with torch.no_grad():
        m(x)
        start, images = time.perf_counter(), 0
        while time.perf_counter() - start < 3:
            m(x)
            images += 64
    print(f"resnet_small {dtype}: {images / (time.perf_counter() - start):.0f} images/s, 1 thread")
