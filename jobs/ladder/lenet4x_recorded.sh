#!/usr/bin/env bash
# lenet4x (jobs/ladder/lenet4x.ini, 76,394 neurons) on one node through a
# recording: the memory plan of the whole network (refused here, naming the
# nodes that would hold it and the largest recording this node holds), then
# `localize` with --record (default 0.3 of every layer) at 2 ranks.
# Trains the rung first when its weights are missing (NETINFER_EPOCHS epochs,
# default 3, one OpenMP thread per core). Outputs in ${NETINFER_OUT:-out}/ladder.
# usage: bash jobs/ladder/lenet4x_recorded.sh [fraction]
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/jobs/env.sh"
netinfer="$root/build/netinfer"
job="$root/jobs/ladder/lenet4x.ini"
out="${NETINFER_OUT:-$root/out}/ladder"
record="${1:-0.3}"
mkdir -p "$out"
cd "$out"
layers="$(sed -n 's/^architecture = //p' "$job")"
echo "== the whole network at 2 ranks on this node:"
mpirun -np 2 "$netinfer" localize --config "$job" --plan --architecture "$layers" 2>&1 |
  grep -E "^memory per rank|largest recording|error:"
if [[ ! -f ladder-lenet4x.h5 ]]; then
  start=$SECONDS
  OMP_NUM_THREADS="$NETINFER_CORES" "$netinfer" train --config "$job" \
    --epochs "${NETINFER_EPOCHS:-3}" > train-lenet4x.log 2>&1 ||
    { echo "training failed (see $out/train-lenet4x.log)"; exit 1; }
  echo "== trained in $((SECONDS - start)) s: $(grep -m1 'final test accuracy' train-lenet4x.log)"
fi
log="localize-lenet4x-record$record.log"
start=$SECONDS
mpirun -np 2 "$netinfer" localize --config "$job" --record "$record" \
  --out "results-lenet4x-record$record.h5" --force > "$log" 2>&1 ||
  { echo "localize failed after $((SECONDS - start)) s: $(grep -m1 error "$log")"; exit 1; }
echo "== lenet4x, --record $record, 2 ranks: $((SECONDS - start)) s wall"
grep -E "^recording|^memory per rank|forward: [0-9]+ images in|  layout|classifier bank:|  error |^measured peak" "$log"
sed -n '/^feature set  /,/^(paper/p' "$log"
