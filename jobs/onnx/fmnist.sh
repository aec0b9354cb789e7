#!/usr/bin/env bash
# Issue 15, item 6: trains a network on Fashion-MNIST in PyTorch, exports it
# to ONNX and localises it (jobs/onnx/fmnist.ini) at 1 and 2 ranks, then
# checks that the two runs agree. Stages whose output exists are skipped, so
# a killed run resumes.
# usage: bash jobs/onnx/fmnist.sh resnet|plain [extra localize options...]
# Outputs go to ${NETINFER_OUT:-out}/onnx: fmnist_<net>.onnx, train-<net>.log,
# graph-<net>.log, results-<net>-np<P>.h5 and localize-<net>-np<P>.log.
# NETINFER_RANK_COUNTS (default "1 2") picks the rank counts. Training needs
# Debian's python3-torch (/usr/bin/python3), installed here when missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
net="${1:?usage: fmnist.sh resnet|plain [localize options...]}"
shift
source "$root/jobs/env.sh"
netinfer="$root/build/netinfer"
out="${NETINFER_OUT:-$root/out}/onnx"
mkdir -p "$out"
cd "$out"
weights="fmnist_$net.onnx"
if [[ ! -f "$weights" ]]; then
  NETINFER_WITH_TORCH=1 bash "$root/cmake/install-deps.sh"
  /usr/bin/python3 "$root/jobs/onnx/train_fmnist.py" "$net" "$weights" > "train-$net.log" 2>&1 ||
    { echo "$net: training failed (see $out/train-$net.log)" >&2; exit 1; }
fi
echo "== $net: $(grep -m1 'final test accuracy' "train-$net.log" 2>/dev/null || echo 'trained elsewhere')"
"$netinfer" graph --weights "$weights" > "graph-$net.log" 2>&1
grep -E "^layers of neurons|random-assignment" "graph-$net.log"
table() { sed -n '/^feature set  *error/,/^(paper/p' "$1"; }
# shellcheck disable=SC2206 # the rank counts are meant to split into words
counts=(${NETINFER_RANK_COUNTS:-1 2})
for np in "${counts[@]}"; do
  log="localize-$net-np$np.log"
  if [[ ! -f "results-$net-np$np.h5" ]]; then
    start=$SECONDS
    mpirun -np "$np" "$netinfer" localize --config "$root/jobs/onnx/fmnist.ini" --weights "$weights" \
      --out "results-$net-np$np.h5" --force "$@" > "$log" 2>&1 ||
      { echo "$net at $np rank(s): failed (see $out/$log)" >&2; exit 1; }
    echo "-- $np rank(s): $((SECONDS - start)) s wall (load $(cut -d' ' -f1-3 /proc/loadavg))"
  fi
  grep -E "^memory per rank|^  error |^measured peak" "$log" || true
  table "$log"
done
# The project's guarantee: the same results at any rank count. Every
# dataset under /localize (features, assignments, distances, per-layer
# errors) must be bit-identical (h5diff, exact; the groups' attributes hold
# stage times, which differ), and so the printed summary tables.
same_results() {
  local path
  while read -r path; do
    h5diff -q "$1" "$2" "/localize$path" "/localize$path" || return 1
  done < <(h5ls -r "$1/localize" | sed -nE 's/^(\S+) +Dataset .*/\1/p')
}
if [[ ${#counts[@]} -gt 1 ]]; then
  first="results-$net-np${counts[0]}.h5"
  for np in "${counts[@]:1}"; do
    if same_results "$first" "results-$net-np$np.h5" &&
      diff <(table "localize-$net-np${counts[0]}.log") <(table "localize-$net-np$np.log") > /dev/null; then
      echo "results at ${counts[0]} and $np rank(s): identical ($(h5ls -r "$first/localize" |
        grep -c Dataset) datasets of /localize, summary tables)"
    else
      echo "results at ${counts[0]} and $np rank(s) DIFFER" >&2
      exit 1
    fi
  done
fi
