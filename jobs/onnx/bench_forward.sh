#!/usr/bin/env bash
# Issue 15's measure: netinfer's forward pass on the two Fashion-MNIST ONNX
# networks (jobs/onnx/fmnist.sh trains them) at 1 and 2 ranks against
# PyTorch (jobs/onnx/bench_torch.py) at 1 and 2 threads, measured in one run
# with the load average beside each figure (netinfer's forward call alone
# from tests/benchmarks/net_bench at 1 and 2 threads too; build it with
# `cmake --build build --target net_bench`), and the graph-distance stage
# (`netinfer graph`). A benchmark: it prints figures and checks nothing.
# usage: bash jobs/onnx/bench_forward.sh   (NETINFER_BENCH_IMAGES, default 3000)
# netinfer's figure is `netinfer respond`'s forward stage (one OpenMP thread
# per rank, double precision, every neuron recorded into the rank's shard):
# GAUSSIAN first (the shard's first touch included), then offGAUSSIAN of the
# same size, which reuses the memory.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/jobs/env.sh"
netinfer="$root/build/netinfer"
out="${NETINFER_OUT:-$root/out}/onnx"
images="${NETINFER_BENCH_IMAGES:-3000}"
load() { echo "(load $(cut -d' ' -f1-3 /proc/loadavg))"; }
for net in resnet plain; do
  weights="$out/fmnist_$net.onnx"
  [[ -f "$weights" ]] || { echo "no $weights: run jobs/onnx/fmnist.sh $net first" >&2; exit 1; }
  echo "== $net"
  for np in 1 2; do
    echo "netinfer respond, $np rank(s) $(load)"
    mpirun -np "$np" "$netinfer" respond --weights "$weights" --sets GAUSSIAN,offGAUSSIAN \
      --images "$images" --out "$out/bench-responses.h5" --force 2>&1 | grep -E "forward: [0-9]+ images in"
    echo "net_bench (one process, the forward call alone), $np thread(s) $(load)"
    NETINFER_BENCH_ONNX="$weights" OMP_NUM_THREADS="$np" "$root/build/tests/benchmarks/net_bench" \
      --benchmark_filter='Onnx.*/3000' 2>&1 | grep -E "^BM_Onnx"
    echo "PyTorch, $np thread(s) $(load)"
    OMP_NUM_THREADS="$np" /usr/bin/python3 "$root/jobs/onnx/bench_torch.py" --threads "$np" "$net"
  done
  echo "netinfer graph $(load): $("$netinfer" graph --weights "$weights" 2>&1 | grep -o 'done in .*')"
done
rm -f "$out/bench-responses.h5"
